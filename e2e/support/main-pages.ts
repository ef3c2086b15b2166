// The main pages, who may see each, and what shows that a page has finished loading its data.
import { expect, type Page } from "@playwright/test";

export type Viewer = "anonymous" | "user" | "admin";
export type MainPage = { name: string; path: string; viewer: Viewer; status?: number; ready: (page: Page) => Promise<void> };

const heading = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
};

export const MAIN_PAGES: MainPage[] = [
  { name: "login", path: "/login", viewer: "anonymous", ready: heading("Sign in to Latchkey") },
  { name: "signup", path: "/signup", viewer: "anonymous", ready: heading("Create your account") },
  {
    name: "dashboard",
    path: "/dashboard",
    viewer: "user",
    ready: async (page) => {
      await heading(/^Welcome, /)(page);
      await expect(page.getByText(/\d+ (min|s)\b/).first()).toBeVisible();
    },
  },
  {
    name: "account",
    path: "/account",
    viewer: "user",
    ready: async (page) => {
      await heading("Account")(page);
      await expect(page.getByText("This device")).toBeVisible();
    },
  },
  {
    name: "admin",
    path: "/admin",
    viewer: "admin",
    ready: async (page) => {
      await heading("Admin")(page);
      await expect(page.getByText(/\d+ users? on page 1/)).toBeVisible();
    },
  },
  {
    name: "audit",
    path: "/admin/audit",
    viewer: "admin",
    ready: async (page) => {
      await heading("Admin")(page);
      await expect(page.getByText(/Showing \d+ events?/)).toBeVisible();
    },
  },
  { name: "403", path: "/admin", viewer: "user", status: 403, ready: heading("You don't have access to this page") },
];
