/** `irsa-lint --help`. Keep in step with args.ts and docs/cli.md. */
import { DEFAULT_MAX_FILE_SIZE_KB } from '../node/host';
import { DOCS_BASE_URL } from '../rules/types';
import { CONFIG_FILE_NAME } from '../config';

export const USAGE = 'usage: irsa-lint [<dir>|<file>...] [--format text|json|sarif] [options]';

export const HELP = `${USAGE}

Checks EKS IRSA configuration across directories: IAM trust policies,
Kubernetes ServiceAccounts and OIDC issuers in Terraform, JSON and YAML.

Subcommands:
  lint (the default)          check the directories and report findings (this help)
  inventory                   list which ServiceAccount carries which role, with the
                              verdict on each link (irsa-lint inventory --help)

Arguments:
  <dir>...                    directories to scan as one workspace (default: .), so a
                              ServiceAccount in one links to a role in another
  <file>...                   report only these files (what pre-commit passes); they are
                              analysed with the directories given, else with their
                              enclosing workspace (nearest .git or ${CONFIG_FILE_NAME})

Options:
  -f, --format <format>       text (default), json or sarif (SARIF 2.1.0)
  -c, --config <file>         rule settings (default: each <dir>/${CONFIG_FILE_NAME} when present),
                              e.g. {"rules": {"trust-missing-aud": "off"}}
      --rule <id>=<severity>  set a rule to off, note, warning (or warn) or error;
                              repeatable, wins over the config file
      --list-rules            list the rule ids with default severity and title
      --max-file-size-kb <n>  skip files larger than n KB (default: ${DEFAULT_MAX_FILE_SIZE_KB})
  -o, --output <file>         write the report to a file instead of stdout
  -q, --quiet                 report error-level findings only (says how many it hid)
      --baseline <file>       do not report the findings recorded in <file>
      --write-baseline <file> record the findings in <file> (with --baseline: only those
                              still found in the old one, so the baseline shrinks)
      --exit-zero             exit 0 even when errors are found (report only)
      --no-markdown           do not read the json/yaml/sh code blocks of Markdown files
                              (also .irsa-lint.json {"markdown": {"enabled": false}})
      --fix                   apply every preferred quick fix, then report what remains;
                              writes only the files it changes
      --fix-dry-run           print the fixes --fix would make as a unified diff on
                              stdout (nothing is written; the report only with --output)
      --no-color, --color     never / always colour text output (default: on a
                              terminal, unless NO_COLOR is set; FORCE_COLOR forces it)
Live checks (trust-issuer-stale, oidc-provider-missing, client ids; roles and
ServiceAccounts: sa-role-trust-mismatch, sa-role-missing, trust-live-drift, sa-live-*):
      --cluster <name>        check this EKS cluster in AWS; repeatable. Live checks
                              run when a cluster is named here, or when AWS credentials
                              are configured (env, AWS_PROFILE, ~/.aws) and the
                              workspace or kubeconfig names EKS clusters
      --region <region>       region of --cluster clusters (default: AWS_REGION/profile)
      --profile <name>        AWS shared-config profile for the calls
      --kube-context <name>   read this kubeconfig context's ServiceAccounts; repeatable
                              (default: the current context, when live checks run)
      --no-live               no AWS or Kubernetes calls at all
  -h, --help                  show this help
      --version               show the version

Text output:
  On a terminal, findings are grouped by file, followed by a summary.
  Otherwise (pipe, file, CI) stdout carries exactly one line per finding,
    <path>:<line>:<column> <severity> <rule-id> <message>
  with the path relative to the current directory and 1-based line and
  column; the summary and skipped files ("irsa-lint: skipped <path>:
  <reason>") go to stderr.
  json and sarif carry skipped files inside the document.

Exit status:
  0  no error-level findings
  1  at least one error-level finding (0 with --exit-zero)
  2  usage error, invalid config file, unreadable directory, or internal failure

Rules: ${DOCS_BASE_URL}README.md
Suppress one finding with a comment on the line above it: # irsa-ignore <rule-id>
`;
