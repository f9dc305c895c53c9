package locales

import "embed"

// Content holds the long texts of the public pages as Markdown, one folder per language
// (content/<code>/<page>.md). Figures are never typed into them: a text names a figure of the
// policy table as {{name}} and the portal inserts it, formatted for the language. See README.md.
//
//go:embed content
var Content embed.FS
