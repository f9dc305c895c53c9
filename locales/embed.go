// Package locales embeds the go-i18n message files, one per language ("<tag>.toml").
// Adding a language is adding one file here; see README.md in this folder.
package locales

import "embed"

// FS holds every message file.
//
//go:embed *.toml
var FS embed.FS
