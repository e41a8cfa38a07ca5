"use client";

import { useMutation } from "@tanstack/react-query";
import { passwordRules, setupPasswordInputSchema } from "@tollgate/core/auth/auth-schemas";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { FormField, inputClass, primaryButtonClass } from "./form-field.tsx";

/** First run: the owner token proves ownership; the password is checked by the shared schema first. */
export function SetupForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [ownerToken, setOwnerToken] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const setup = useMutation(
    trpc.auth.setupPassword.mutationOptions({
      onSuccess: () => {
        router.replace("/admin");
        router.refresh();
      },
      onError: (error) => {
        const described = describeError(error);
        if (described.field) setErrors({ [described.field]: described.message });
      },
    }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = setupPasswordInputSchema.safeParse({ ownerToken: ownerToken.trim(), password });
    const next: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
    if (password !== repeat) next.repeat = "the two passwords differ";
    setErrors(next);
    if (Object.keys(next).length === 0 && parsed.success) setup.mutate(parsed.data);
  };
  const serverError = setup.error ? describeError(setup.error) : null;
  return (
    <form onSubmit={onSubmit} className="mt-5 space-y-4" noValidate>
      <FormField
        id="owner-token"
        label="Owner API token"
        error={errors.ownerToken}
        help={
          <>
            Printed at first start and saved in <code className="font-mono">$TOLLGATE_HOME/admin-token</code>.
          </>
        }
      >
        {(aria) => (
          <input
            {...aria}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={ownerToken}
            onChange={(e) => setOwnerToken(e.target.value)}
            className={`${inputClass} font-mono`}
          />
        )}
      </FormField>
      <FormField
        id="new-password"
        label="New password"
        error={errors.password}
        help={`At least ${passwordRules.minLength} characters.`}
      >
        {(aria) => (
          <input
            {...aria}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            className={inputClass}
          />
        )}
      </FormField>
      <FormField id="repeat-password" label="Repeat the password" error={errors.repeat}>
        {(aria) => (
          <input
            {...aria}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            className={inputClass}
          />
        )}
      </FormField>
      {serverError && !serverError.field ? (
        <ErrorMessage title="Could not set the password" error={serverError} />
      ) : null}
      <button type="submit" disabled={setup.isPending} className={primaryButtonClass}>
        {setup.isPending ? "Saving…" : "Set password and sign in"}
      </button>
    </form>
  );
}
