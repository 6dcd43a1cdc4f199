-- Runs after the README's Neovim block (sourced first, as a user's init.lua
-- would be): opens a file of a workspace, so that the block's FileType
-- autocommand starts irsa-language-server, waits for the server's scan to
-- end and for the diagnostics, then opens a second file of the same root and
-- checks it joined the same client. Prints every diagnostic, one a line:
--   <path relative to the root>:<line>:<col> <severity> <code> <message>
-- then `clients <n>`. Environment: IRSA_ROOT, IRSA_FILE, IRSA_SECOND_FILE,
-- IRSA_EXPECT_COUNT (the server publishes file by file, and nothing in the
-- protocol says "that was the last one"). Exits 0 once they are there, 1
-- (with what did arrive, and why, on stderr) when not within IRSA_TIMEOUT_MS.
local root = assert(os.getenv('IRSA_ROOT'), 'IRSA_ROOT unset')
local file = assert(os.getenv('IRSA_FILE'), 'IRSA_FILE unset')
local second = assert(os.getenv('IRSA_SECOND_FILE'), 'IRSA_SECOND_FILE unset')
local timeout_ms = tonumber(os.getenv('IRSA_TIMEOUT_MS') or '30000')
local expected = tonumber(os.getenv('IRSA_EXPECT_COUNT') or '1')

local function fail(reason)
  io.stderr:write(reason .. '\n')
  vim.cmd('cquit 1')
end

-- The scan reports work-done progress; its `end` means every file was analysed.
-- Wrapped globally: the README's client table names no handlers.
local scan_done = false
local progress = vim.lsp.handlers['$/progress']
vim.lsp.handlers['$/progress'] = function(err, result, ctx, config)
  if result and result.value and result.value.kind == 'end' then scan_done = true end
  return progress(err, result, ctx, config)
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local arrived = vim.wait(timeout_ms, function()
  return scan_done and #vim.diagnostic.get(bufnr) > 0 and #vim.diagnostic.get() >= expected
end, 50)

vim.cmd('edit ' .. vim.fn.fnameescape(second))
local second_buf = vim.api.nvim_get_current_buf()
local joined = vim.wait(5000, function() return #vim.lsp.buf_get_clients(second_buf) > 0 end, 50)

local severities = { 'error', 'warning', 'info', 'hint' }
local lines = {}
for _, d in ipairs(vim.diagnostic.get()) do
  local name = vim.api.nvim_buf_get_name(d.bufnr)
  local relative = name:sub(1, #root + 1) == root .. '/' and name:sub(#root + 2) or name
  -- 0.7 keeps the LSP code under user_data.lsp; later versions also set d.code.
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
  table.insert(lines, string.format('%s:%d:%d %s %s %s', relative, d.lnum + 1, d.col + 1, severities[d.severity] or '?', code, d.message))
end
table.sort(lines)
io.stdout:write(table.concat(lines, '\n') .. '\n')
io.stdout:write(string.format('clients %d\n', #vim.lsp.get_active_clients()))
vim.lsp.stop_client(vim.lsp.get_active_clients())
if not arrived then
  return fail(string.format('%d of %d diagnostics after %d ms (scan done: %s)', #lines, expected, timeout_ms, tostring(scan_done)))
end
if not joined then return fail('the second file of the root was not attached to a client') end
vim.cmd('qall!')
