/** Who is calling: a signed-in user, or null for anonymous visitors. Passed to every service call. */
export type TActor = { userId: string; email: string; isAdmin: boolean; sessionId: string } | null;

export type TSignedInActor = NonNullable<TActor>;
