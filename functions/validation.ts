/**
 * The schema library the Lambda functions validate with: zod's tree-shakeable "mini" API,
 * so a bundle carries only the checks it uses (the classic API pulls in all of zod, about
 * 440 KB). Mini has no messages of its own; the English locale gives the same messages as
 * the classic API ("Too small: expected number to be >=1"). Import it as a namespace
 * (`import * as z from "../validation"`) so the bundler can drop what is not used.
 */
import { en } from "zod/locales";
import { config, type core } from "zod/mini";

config(en());

export * from "zod/mini";
/** The error a failed `safeParse` carries. */
export type SchemaError = core.$ZodError;
