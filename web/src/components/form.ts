import { useCallback, useEffect, useState } from "react";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { describeError, preloadValidation, serverFieldErrors, validate, type FieldErrors } from "../api/errors.js";

export type SubmitOptions = {
  /** onError handles a failure the form explains itself; return true when handled. */
  onError?: (err: ConnectError) => boolean;
  /** extraErrors are checks the request message cannot express (an unparsable amount). */
  extraErrors?: FieldErrors;
};

/**
 * useRpcForm runs a form's submission: protovalidate in the browser first, then the call, then
 * the server's violations beside the fields they concern, or one message for the form.
 */
export function useRpcForm() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    preloadValidation().catch(() => {
      // A failed load is retried on submit, and the server validates anyway.
    });
  }, []);

  const submit = useCallback(
    async <Desc extends DescMessage>(
      schema: Desc,
      message: MessageShape<Desc>,
      call: (m: MessageShape<Desc>) => Promise<unknown>,
      opts: SubmitOptions = {},
    ): Promise<boolean> => {
      setFormError("");
      let checked: FieldErrors | null = null;
      try {
        checked = await validate(schema, message);
      } catch {
        // protovalidate could not be loaded (offline?): the server checks the same rules.
      }
      const local = { ...(checked ?? {}), ...(opts.extraErrors ?? {}) };
      if (Object.keys(local).length > 0) {
        setErrors(local);
        focusFirstInvalid();
        return false;
      }
      setErrors({});
      setBusy(true);
      try {
        await call(message);
        return true;
      } catch (e) {
        const err = ConnectError.from(e);
        const fields = await serverFieldErrors(schema, err);
        if (fields) {
          setErrors(fields);
          const unplaced = Object.keys(fields).length === 1 && fields[""] !== undefined;
          setFormError(unplaced ? fields[""] : "The server rejected some fields: see the messages beside them.");
          focusFirstInvalid();
        } else if (!opts.onError?.(err)) {
          setFormError(describeError(err));
        }
        return false;
      } finally {
        setBusy(false);
      }
    },
    [],
  );

  return { errors, setErrors, formError, setFormError, busy, submit };
}

function focusFirstInvalid() {
  // After React renders the messages.
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>("[aria-invalid='true']");
    el?.focus();
  });
}
