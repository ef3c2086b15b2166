// The one import path for forms and route handlers. Nothing here touches env() or Node APIs, so
// client components can use the same schemas (pass the password minimum down as a prop).
export * from "./account-fields";
export * from "./bodies";
export * from "./field-errors";
export * from "./password-rules";
export * from "./queries";
export { codePointLength } from "./text";
