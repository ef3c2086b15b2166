import type { Metadata } from "next";

export const forgotPasswordMetadata: Metadata = { title: "Forgot password" };
