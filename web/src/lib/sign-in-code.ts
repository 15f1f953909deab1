/** The 6-digit sign-in code in a mail from the dev mailbox, or null if it holds none. */
export function extractSignInCode(mail: { subject: string; text: string }): string | null {
  const explicit = /sign-in code is\D{0,20}(\d{6})\b/i.exec(mail.text);
  if (explicit?.[1]) return explicit[1];
  if (!/sign-in code/i.test(mail.subject)) return null;
  return /\b(\d{6})\b/.exec(mail.text)?.[1] ?? null;
}
