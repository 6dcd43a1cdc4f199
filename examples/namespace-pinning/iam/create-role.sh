#!/usr/bin/env bash
# How the role was created: the trust policy file is named after the role.
set -euo pipefail
aws iam create-role \
  --role-name s3-reader \
  --assume-role-policy-document file://s3-reader-trust.json
