/**
 * Container image references, checked against the OCI distribution reference grammar
 * (github.com/distribution/reference): [domain[:port]/]path[:tag][@digest]. A reference
 * with whitespace, a newline or upper-case path letters would reach the Deployment and
 * fail only when the kubelet pulls it.
 */

const DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?)`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH})(?::${TAG})?(?:@${DIGEST})?$`);

/** The registry's limit on a repository name (domain and path). */
const NAME_MAX = 255;

/** Why an image reference is malformed, or undefined when it follows the grammar. */
export function imageReferenceProblem(image: string): string | undefined {
  if (image.trim() === "") return "must name a container image";
  if (/\s/.test(image)) return "must not contain whitespace or line breaks";
  const match = REFERENCE.exec(image);
  if (!match) {
    return "must be an image reference [registry/]repository[:tag][@digest] with a lower-case repository path";
  }
  const name = match[1] ? `${match[1]}/${match[2]}` : (match[2] ?? "");
  if (name.length > NAME_MAX) return `must have a repository name of at most ${NAME_MAX} characters`;
  return undefined;
}
