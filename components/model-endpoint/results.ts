/**
 * The results bucket sidecar mode creates: encrypted, private, expiring, readable only by the
 * roles the endpoint names; and the worker's permission to write under its prefix.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "./identity";
import { type ModelEndpointSidecarResultsArgs, SIDECAR_DEFAULTS } from "./sidecar";

/** A bucket policy statement (wider than the role policies' shape: principals and list conditions). */
interface BucketStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal: "*" | { AWS: string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * TLS only; the named roles may read results under the prefix; every other principal is
 * denied reading (an explicit deny wins over any identity policy, the worker's included).
 */
export function resultsBucketPolicyDocument(bucketArn: string, prefix: string, readerRoleArns: string[]) {
  const statements: BucketStatement[] = [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "ReadersReadResults",
      Effect: "Allow",
      Principal: { AWS: readerRoleArns },
      Action: ["s3:GetObject"],
      Resource: `${bucketArn}/${prefix}*`,
    },
    {
      Sid: "NobodyElseReadsResults",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `${bucketArn}/*`,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": readerRoleArns } },
    },
  ];
  return { Version: "2012-10-17", Statement: statements };
}

/** What the worker may do with results: write under its prefix (and encrypt with the bucket key). */
export function resultsWriterPolicyDocument(bucketArn: string, prefix: string, kmsKeyArn: string | undefined) {
  const statements: { Sid: string; Effect: "Allow"; Action: string[]; Resource: string }[] = [
    { Sid: "WriteResults", Effect: "Allow", Action: ["s3:PutObject"], Resource: `${bucketArn}/${prefix}*` },
  ];
  if (kmsKeyArn)
    statements.push({ Sid: "EncryptResults", Effect: "Allow", Action: ["kms:GenerateDataKey"], Resource: kmsKeyArn });
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * What a client role needs to use the endpoint: send requests to its queue and read results.
 * Attach it to the roles named in `readerRoleArns`.
 */
export function clientPolicyDocument(queueArn: string, bucketName: string, prefix: string) {
  const partition = partitionOf(queueArn);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "SendRequests", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: queueArn },
      {
        Sid: "ReadResults",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: `arn:${partition}:s3:::${bucketName}/${prefix}*`,
      },
    ],
  };
}

export interface EndpointResults {
  bucket: aws.s3.Bucket;
  encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  lifecycle: aws.s3.BucketLifecycleConfiguration;
  bucketPolicy: aws.s3.BucketPolicy;
  writerPolicy: aws.iam.RolePolicy;
}

export interface ResultsInputs {
  name: string;
  endpointName: string;
  prefix: string;
  args: ModelEndpointSidecarResultsArgs;
  /** The worker role, which gets the write permission. */
  roleName: pulumi.Input<string>;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

export function createResults(i: ResultsInputs): EndpointResults {
  const { name, parent, tags, args, prefix } = i;
  const opts = { parent };
  // bucketPrefix allows 37 characters; the endpoint name is a lower-case DNS label already.
  const bucket = new aws.s3.Bucket(
    `${name}-results`,
    { bucketPrefix: `${i.endpointName.slice(0, 28)}-results-`, tags },
    opts,
  );
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-results-encryption`,
    {
      bucket: bucket.id,
      rules: [
        args.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
              bucketKeyEnabled: true,
            },
      ],
    },
    opts,
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${name}-results-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(
    `${name}-results-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-results",
          status: "Enabled",
          filter: { prefix },
          expiration: { days: args.expireAfterDays ?? SIDECAR_DEFAULTS.expireAfterDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    },
    opts,
  );
  const bucketPolicy = new aws.s3.BucketPolicy(
    `${name}-results-policy`,
    {
      bucket: bucket.id,
      policy: pulumi
        .all([bucket.arn, pulumi.all(args.readerRoleArns)])
        .apply(([arn, readers]) => JSON.stringify(resultsBucketPolicyDocument(arn, prefix, readers))),
    },
    // The public access block first: S3 checks a new policy against it.
    { parent, dependsOn: [publicAccessBlock] },
  );
  const writerPolicy = new aws.iam.RolePolicy(
    `${name}-results-writer`,
    {
      role: i.roleName,
      policy: pulumi
        .all([bucket.arn, args.kmsKeyArn])
        .apply(([arn, key]) => JSON.stringify(resultsWriterPolicyDocument(arn, prefix, key))),
    },
    opts,
  );
  return { bucket, encryption, publicAccessBlock, lifecycle, bucketPolicy, writerPolicy };
}
