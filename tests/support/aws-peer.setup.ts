import { inject } from "vitest";

// The SDK v3 clients read these standard variables, so the code under test needs no
// test-only wiring to reach the emulator.
process.env.AWS_ENDPOINT_URL = inject("awsEndpoint");
process.env.AWS_REGION = "us-east-1";
process.env.AWS_ACCESS_KEY_ID = "testing";
process.env.AWS_SECRET_ACCESS_KEY = "testing";
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
