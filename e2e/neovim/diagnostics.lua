-- Headless Neovim 0.7 as an LSP client of irsa-language-server: opens one
-- file of a workspace, waits for the server's workspace scan to end and for
-- the file's diagnostics, and prints every diagnostic it received, one a line:
--   <path relative to the root>:<line>:<col> <severity> <code> <message>
-- Neovim 0.7 has no vim.lsp.start: vim.lsp.start_client + buf_attach_client.
-- Environment: IRSA_SERVER (the irsa-language-server bin, dist/server.js),
-- IRSA_ROOT, IRSA_FILE, IRSA_EXPECT_COUNT (how many diagnostics to wait for:
-- the server publishes file by file, an open file may get an early partial
-- set while the scan runs, and nothing in the protocol says "that was the
-- last one"). Exits 0 once they are there, 1 (printing what did arrive, and
-- why, on stderr) when they are not within IRSA_TIMEOUT_MS.
local server = assert(os.getenv('IRSA_SERVER'), 'IRSA_SERVER unset')
local root = assert(os.getenv('IRSA_ROOT'), 'IRSA_ROOT unset')
local file = assert(os.getenv('IRSA_FILE'), 'IRSA_FILE unset')
local timeout_ms = tonumber(os.getenv('IRSA_TIMEOUT_MS') or '30000')
local expected = tonumber(os.getenv('IRSA_EXPECT_COUNT') or '1')

local function fail(reason)
  io.stderr:write(reason .. '\n')
  vim.cmd('cquit 1')
end

local scan_done = false
local client_id = vim.lsp.start_client({
  name = 'irsa',
  cmd = { server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'root' } },
  handlers = {
    -- The scan reports work-done progress; its `end` means every file was analysed.
    ['$/progress'] = function(err, result, ctx, config)
      if result and result.value and result.value.kind == 'end' then scan_done = true end
      return vim.lsp.handlers['$/progress'](err, result, ctx, config)
    end,
  },
})
if not client_id then return fail('vim.lsp.start_client failed') end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(bufnr, client_id)

local arrived = vim.wait(timeout_ms, function()
  return scan_done and #vim.diagnostic.get(bufnr) > 0 and #vim.diagnostic.get() >= expected
end, 50)

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
vim.lsp.stop_client(client_id)
if not arrived then
  return fail(string.format('%d of %d diagnostics after %d ms (scan done: %s)', #lines, expected, timeout_ms, tostring(scan_done)))
end
vim.cmd('qall!')
