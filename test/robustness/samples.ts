/**
 * A small trust policy shared by the robustness tests and the fuzzer: an
 * EKS web-identity statement that pins `sub` but not `aud`, so analysing it
 * yields a known finding (trust-missing-aud) whose presence shows a file
 * was read and analysed.
 */
export const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A8B9E0F1A2B3C4D5E6F7A8B9C0D1E:sub': 'system:serviceaccount:demo:s3-reader' } },
    },
  ],
};

export const TRUST_POLICY_TEXT = JSON.stringify(TRUST_POLICY, null, 2) + '\n';
