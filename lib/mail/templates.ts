// The text of every mail. Each has a plain-text part with its link on a line of its own (SPEC),
// and a simple HTML part saying the same. Nothing here names the account's password or token
// beyond the one link the mail exists to deliver.
import type { Mail, MailKind } from "./mailer";

type Content = { subject: string; lines: string[]; link?: { url: string; label: string } };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

function render(kind: MailKind, to: string, content: Content): Mail {
  const text = [
    ...content.lines.slice(0, 1),
    "",
    ...(content.link ? [content.link.url, ""] : []),
    ...content.lines.slice(1).flatMap((l) => [l, ""]),
    "— Latchkey",
    "",
  ].join("\n");
  const paragraphs = content.lines.map((l) => `<p>${escapeHtml(l)}</p>`);
  const button = content.link
    ? `<p><a href="${escapeHtml(content.link.url)}" style="display:inline-block;padding:10px 16px;background:#18181b;color:#fff;` +
      `border-radius:6px;text-decoration:none">${escapeHtml(content.link.label)}</a></p>` +
      `<p style="color:#52525b;font-size:13px">Or paste this address into your browser: ${escapeHtml(content.link.url)}</p>`
    : "";
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#18181b;max-width:560px">` +
    `${paragraphs[0] ?? ""}${button}${paragraphs.slice(1).join("")}<p>— Latchkey</p></body></html>`;
  return { kind, to, subject: content.subject, text, html };
}

export function passwordResetMail(to: string, input: { url: string; username: string; minutes: number }): Mail {
  return render("password_reset", to, {
    subject: "Reset your Latchkey password",
    lines: [
      `Someone asked to reset the password of the Latchkey account ${input.username}. To choose a new password, open this link:`,
      `The link works once, for ${input.minutes} minutes. Choosing a new password signs the account out everywhere.`,
      "If you did not ask for this, ignore this mail: your password stays as it is.",
    ],
    link: { url: input.url, label: "Choose a new password" },
  });
}

export function passwordChangedMail(to: string, input: { username: string; signInUrl: string; forgotUrl: string }): Mail {
  return render("password_changed", to, {
    subject: "Your Latchkey password was changed",
    lines: [
      `The password of the Latchkey account ${input.username} was just changed, and every session was signed out.`,
      `If this was you, there is nothing to do: sign in with the new password at ${input.signInUrl}.`,
      `If it was not you, reset the password now at ${input.forgotUrl} and tell your administrator.`,
    ],
  });
}

export function verifyEmailMail(to: string, input: { url: string; username: string; hours: number }): Mail {
  return render("email_verification", to, {
    subject: "Confirm your email address for Latchkey",
    lines: [
      `Confirm that this address belongs to the Latchkey account ${input.username} by opening this link:`,
      `The link works once, for ${input.hours} hours.`,
      "If you did not sign up, ignore this mail: the address stays unconfirmed.",
    ],
    link: { url: input.url, label: "Confirm my email address" },
  });
}

export function confirmEmailChangeMail(to: string, input: { url: string; username: string; hours: number }): Mail {
  return render("email_change", to, {
    subject: "Confirm your new email address for Latchkey",
    lines: [
      `The Latchkey account ${input.username} asked to use this address from now on. To confirm the change, open this link:`,
      `The link works once, for ${input.hours} hours. Until then the account keeps its old address.`,
      "If you did not ask for this, ignore this mail.",
    ],
    link: { url: input.url, label: "Use this address" },
  });
}

export function emailChangeNoticeMail(to: string, input: { username: string; newEmail: string; forgotUrl: string }): Mail {
  return render("email_change_notice", to, {
    subject: "Your Latchkey email address is about to change",
    lines: [
      `Someone signed in to the Latchkey account ${input.username} asked to change its email address to ${input.newEmail}.`,
      "The change takes effect only when the link sent to the new address is opened.",
      `If this was not you, secure the account now: reset the password at ${input.forgotUrl} (this signs out every session) and tell your administrator.`,
    ],
  });
}

export function secondFactorsResetMail(to: string, input: { username: string; accountUrl: string }): Mail {
  return render("second_factors_reset", to, {
    subject: "An administrator removed your Latchkey second factors",
    lines: [
      `An administrator removed the authenticator app, recovery codes and passkeys of the Latchkey account ${input.username}.`,
      `Sign in with your password and set up a second factor again at ${input.accountUrl}.`,
      "If you did not ask for this, tell your administrator at once.",
    ],
  });
}

export function invitationMail(to: string, input: { url: string; username: string; hours: number }): Mail {
  // The link is a password_reset link: the person sets their first password through the reset flow.
  return render("invitation", to, {
    subject: "You have been invited to Latchkey",
    lines: [
      `An administrator created the Latchkey account ${input.username} for you. To choose your password and sign in, open this link:`,
      `The link works once, for ${input.hours} hours. If it expires, ask for a new one with "Forgot password?" on the sign-in page.`,
      "If you did not expect this invitation, ignore this mail: nobody can sign in to the account until a password is chosen.",
    ],
    link: { url: input.url, label: "Choose my password" },
  });
}

export function adminPasswordResetMail(to: string, input: { url: string; username: string; minutes: number }): Mail {
  return render("password_reset", to, {
    subject: "Reset your Latchkey password",
    lines: [
      `An administrator signed the Latchkey account ${input.username} out everywhere and asks you to choose a new password. Open this link:`,
      `The link works once, for ${input.minutes} minutes. Until you use it, your current password still works.`,
      "If you did not expect this, tell your administrator.",
    ],
    link: { url: input.url, label: "Choose a new password" },
  });
}
