// Turning validation results and Connect errors into what a form shows: a message beside each
// field (keyed by the proto field path, such as "homestay.price_cents") and one for the form.
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { Path } from "@bufbuild/protobuf/reflect";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Validator, Violation } from "@bufbuild/protovalidate";
import { ViolationsSchema, type Violation as ViolationProto } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

export type FieldErrors = Record<string, string>;

// protovalidate (with its CEL interpreter) is most of the bundle's weight and is needed only
// when a form is sent, so it is loaded on first use, in parallel with the user's typing.
let protovalidate: Promise<typeof import("@bufbuild/protovalidate")> | null = null;
let validator: Promise<Validator> | null = null;

function loadProtovalidate() {
  protovalidate ??= import("@bufbuild/protovalidate");
  return protovalidate;
}

/** preloadValidation starts loading protovalidate, for pages with forms. */
export function preloadValidation() {
  validator ??= loadProtovalidate().then((m) => m.createValidator());
  return validator;
}

/** pathKey names a field by its proto field names, ignoring list indexes and map keys. */
export function pathKey(path: Path): string {
  const names: string[] = [];
  for (const seg of path) {
    if (seg.kind === "field" || seg.kind === "extension" || seg.kind === "oneof") names.push(seg.name);
  }
  return names.join(".");
}

function addError(errors: FieldErrors, key: string, message: string) {
  // The first violation of a field is the one to fix first.
  if (!(key in errors)) errors[key] = message;
}

// Tests set this to see the server's violations: the browser's checks would stop the request.
function clientChecksDisabled(): boolean {
  try {
    return localStorage.getItem("looklook.skipClientValidation") === "1";
  } catch {
    return false;
  }
}

/**
 * validate checks a request with the same protovalidate rules the server applies. It returns the
 * field errors, or null when the request may be sent.
 */
export async function validate<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Promise<FieldErrors | null> {
  if (clientChecksDisabled()) return null;
  const result = (await preloadValidation()).validate(schema, message);
  if (result.kind === "valid") return null;
  if (result.kind === "error") {
    // A rule the browser cannot evaluate: let the server decide.
    console.warn("protovalidate:", result.error);
    return null;
  }
  return violationsToErrors(result.violations);
}

export function violationsToErrors(violations: Violation[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const v of violations) addError(errors, pathKey(v.field), v.message);
  return errors;
}

/** serverFieldErrors maps an InvalidArgument's buf.validate.Violations detail to field errors. */
export async function serverFieldErrors(schema: DescMessage, err: ConnectError): Promise<FieldErrors | null> {
  if (err.code !== Code.InvalidArgument) return null;
  const details = err.findDetails(ViolationsSchema);
  const violations: ViolationProto[] = details.flatMap((d) => d.violations);
  if (violations.length === 0) return null;
  const { pathFromViolationProto } = await loadProtovalidate();
  const errors: FieldErrors = {};
  for (const v of violations) {
    let key = "";
    if (v.field) {
      try {
        key = pathKey(pathFromViolationProto(schema, v.field));
      } catch {
        key = v.field.elements.map((e) => e.fieldName).join(".");
      }
    }
    addError(errors, key, v.message || "is not valid");
  }
  return errors;
}

/** describeError is a sentence for a failed call, for people rather than logs. */
export function describeError(e: unknown): string {
  const err = ConnectError.from(e);
  switch (err.code) {
    case Code.Unauthenticated:
      return "Please sign in again: your session has ended.";
    case Code.PermissionDenied:
      return "You are not allowed to do that.";
    case Code.NotFound:
      return err.rawMessage || "Not found.";
    case Code.Unavailable:
    case Code.DeadlineExceeded:
      return "The server could not be reached. Check your connection and try again.";
    case Code.ResourceExhausted:
      return err.rawMessage || "Too many attempts. Wait a little and try again.";
    case Code.Internal:
    case Code.Unknown:
      return "Something went wrong on our side. Please try again.";
    default:
      return err.rawMessage || "The request failed.";
  }
}

