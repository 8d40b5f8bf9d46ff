// What a test can read from a PDF that Chromium printed, without a PDF library. Skia writes the page dictionaries and
// the link annotations as plain text (only page contents, fonts and images are compressed streams), so two patterns
// suffice. Text cannot be read back this way: a test that must find something on a page wraps it in a link and looks
// for the link's address.

/** The number of pages: one `/Type /Page` dictionary each (the page tree's nodes are `/Type /Pages`). */
export function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;
}

/** The addresses of the PDF's links, in the order written (a link that wraps over two lines may appear twice). */
export function pdfLinkUris(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\/URI\s*\(([^)]*)\)/g)].map((m) => m[1] ?? '');
}
