// A table on wide screens and a stack of cards on phones (below lg), from one set of elements.
// The roles are not redundant here: once CSS changes the display of table elements, Safari and
// Firefox stop exposing them as a table, and explicit roles keep the table for assistive technology.
import type { ComponentProps } from "react";

export const TABLE_BOX = "lg:rounded-lg lg:border lg:border-zinc-200 lg:bg-white lg:shadow-sm";
const TABLE = "block w-full text-sm lg:table";
const THEAD = "sr-only bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-600 uppercase lg:not-sr-only lg:table-header-group";
const TBODY = "block space-y-3 lg:table-row-group lg:space-y-0";
/** A card on phones (two columns of label and value), a row on wide screens. */
const ROW =
  "grid grid-cols-2 gap-x-4 gap-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm lg:table-row lg:rounded-none lg:border-0 lg:border-t lg:border-zinc-100 lg:p-0 lg:shadow-none";
const HEAD_CELL = "lg:table-cell lg:border-b lg:border-zinc-200 lg:px-4 lg:py-2.5";
const CELL = "block min-w-0 lg:table-cell lg:px-4 lg:py-3 lg:align-top";
/** A cell's column name, shown on the card only (the column header names it in the table). */
export const CARD_LABEL = "mb-0.5 block text-xs font-medium text-zinc-500 lg:hidden";

const join = (...classes: (string | undefined)[]) => classes.filter(Boolean).join(" ");

export function RTable({ className, ...props }: ComponentProps<"table">) {
  // biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file).
  return <table role="table" className={join(TABLE, className)} {...props} />;
}

export function RHead({ columns }: { columns: { name: string; className?: string }[] }) {
  return (
    // biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file).
    <thead role="rowgroup" className={THEAD}>
      {/* biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file). */}
      <tr role="row">
        {columns.map((column) => (
          // biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file).
          <th key={column.name} role="columnheader" scope="col" className={join(HEAD_CELL, column.className)}>
            {column.name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function RBody({ className, ...props }: ComponentProps<"tbody">) {
  // biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file).
  return <tbody role="rowgroup" className={join(TBODY, className)} {...props} />;
}

export function RRow({ className, ...props }: ComponentProps<"tr">) {
  // biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file).
  return <tr role="row" className={join(ROW, className)} {...props} />;
}

/** The cell that names the row (the user, the event type). */
export function RRowHeader({ className, ...props }: ComponentProps<"th">) {
  // biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file).
  return <th role="rowheader" scope="row" className={join(CELL, "text-left font-normal", className)} {...props} />;
}

export function RCell({ className, ...props }: ComponentProps<"td">) {
  // biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file).
  return <td role="cell" className={join(CELL, className)} {...props} />;
}

/** The only row of an empty table. */
export function REmptyRow({ columns, children }: { columns: number; children: string }) {
  return (
    // biome-ignore lint/a11y/noRedundantRoles: kept when the display changes (see the top of this file).
    <tr role="row" className="block lg:table-row">
      <RCell colSpan={columns} className="rounded-lg border border-zinc-200 bg-white py-10 text-center text-zinc-600 lg:border-0">
        {children}
      </RCell>
    </tr>
  );
}
