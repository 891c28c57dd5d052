export type Page = { page: number; perPage: number; offset: number };
export type Pagination = Page & { total: number; pages: number; hasPrevious: boolean; hasNext: boolean };

/** The page asked for (1 when missing or not a whole number), with its offset. */
export function pageFrom(requested: unknown, perPage: number): Page {
  const number = Number(requested);
  const page = Number.isInteger(number) && number >= 1 && number <= 1_000_000 ? number : 1;
  return { page, perPage, offset: (page - 1) * perPage };
}

/** What a list page needs to draw its pager. */
export function paginate(page: Page, total: number): Pagination {
  const pages = Math.max(1, Math.ceil(total / page.perPage));
  return { ...page, total, pages, hasPrevious: page.page > 1, hasNext: page.page < pages };
}
