/**
 * A server is fresh for this long after it starts. Auto-restore belongs to a server's start: a
 * server older than this is not fresh, so turning the option on later and opening a session must
 * not pour a save into a running environment; and a restore replaces only a first session younger
 * than this (restore/plan.ts).
 */
export const freshServerSeconds = 60;
