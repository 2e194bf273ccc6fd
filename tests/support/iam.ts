/**
 * IAM users for tests that run against the emulator with IAM enforced
 * (`startMotoServer({ initialNoAuthActionCount })`): the setup calls go out before
 * enforcement starts, so the SDK's IAM client (not a dependency of this project) is not
 * needed and the request is a plain Query call. The emulator does not check signatures
 * while unauthenticated actions remain; the credential scope only names the service.
 */

/** An access key pair for a test user. */
export interface AccessKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One IAM Query API call; returns the XML answer. */
export async function iamQuery(endpoint: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization:
        "AWS4-HMAC-SHA256 Credential=bootstrap/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: new URLSearchParams({ ...params, Version: "2010-05-08" }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`IAM ${params.Action} failed: HTTP ${response.status} ${text}`);
  return text;
}

/**
 * Creates a user with one inline policy and an access key for it: three IAM actions, which
 * count against the emulator's unauthenticated allowance. The document is sent as given when
 * it is a string, as JSON otherwise.
 */
export async function createUserWithPolicy(
  endpoint: string,
  name: string,
  policyDocument: object | string,
): Promise<AccessKeys> {
  await iamQuery(endpoint, { Action: "CreateUser", UserName: name });
  await iamQuery(endpoint, {
    Action: "PutUserPolicy",
    UserName: name,
    PolicyName: `${name}-policy`,
    PolicyDocument: typeof policyDocument === "string" ? policyDocument : JSON.stringify(policyDocument),
  });
  const answer = await iamQuery(endpoint, { Action: "CreateAccessKey", UserName: name });
  const pick = (tag: string): string => {
    const value = answer.match(new RegExp(`<${tag}>([^<]+)</${tag}>`))?.[1];
    if (value === undefined) throw new Error(`IAM CreateAccessKey for ${name} answered without ${tag}: ${answer}`);
    return value;
  };
  return { accessKeyId: pick("AccessKeyId"), secretAccessKey: pick("SecretAccessKey") };
}
