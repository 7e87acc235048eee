/** Hands a file to the browser's downloads: a Blob URL on a temporary <a download>, revoked once clicked. */
export function downloadFile(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // The click starts the download synchronously; revoking at once can cancel it in some browsers, so wait a turn.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** A file name safe on every OS, from a record's name: "Night Owl / Bakery" → "night-owl-bakery". */
export function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return slug.slice(0, 60) || 'export'
}
