// Package i18n loads the message files, negotiates the language, and formats dates, numbers
// and money per language. Each message file names its own language (meta.name), its writing
// direction (meta.dir) and its formats, so a new language is one new file in locales/.
package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Default is the fallback language.
var Default = language.Dutch

// Language describes one available language.
type Language struct {
	Tag  language.Tag
	Code string // URL and cookie form, e.g. "nl", "ar"
	Name string // the language's name in itself
	Dir  string // "ltr" or "rtl"
}

// Bundle holds every message file and the languages they make available.
type Bundle struct {
	bundle    *goi18n.Bundle
	languages []Language
	matcher   language.Matcher
	byCode    map[string]*Localizer
	// IDs lists every message ID per language code, for the completeness tests.
	IDs map[string][]string
}

// Load reads every *.toml in fsys. The default language (nl) must be present.
func Load(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{bundle: goi18n.NewBundle(Default), byCode: map[string]*Localizer{}, IDs: map[string][]string{}}
	b.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	rawByCode := map[string]map[string]string{}
	files, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		mf, err := b.bundle.ParseMessageFileBytes(data, path.Base(f))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		code := strings.TrimSuffix(path.Base(f), ".toml")
		raw := map[string]string{}
		for _, m := range mf.Messages {
			b.IDs[code] = append(b.IDs[code], m.ID)
			if m.Zero == "" && m.One == "" && m.Two == "" && m.Few == "" && m.Many == "" && m.LeftDelim == "" && m.RightDelim == "" {
				raw[m.ID] = m.Other
			}
		}
		rawByCode[code] = raw
		b.languages = append(b.languages, Language{Tag: mf.Tag, Code: code})
	}
	// Dutch first, then the rest by code, so the switcher has a stable order.
	slices.SortFunc(b.languages, func(x, y Language) int {
		switch {
		case x.Code == "nl":
			return -1
		case y.Code == "nl":
			return 1
		}
		return strings.Compare(x.Code, y.Code)
	})
	if len(b.languages) == 0 || b.languages[0].Code != "nl" {
		return nil, fmt.Errorf("locales: nl.toml is required")
	}
	tags := make([]language.Tag, len(b.languages))
	for i := range b.languages {
		l := &b.languages[i]
		tags[i] = l.Tag
		loc := newLocalizer(b.bundle, *l, rawByCode[l.Code])
		l.Name = loc.T("meta.name")
		l.Dir = loc.T("meta.dir")
		if l.Dir != "rtl" {
			l.Dir = "ltr"
		}
		loc.lang = *l
		b.byCode[l.Code] = loc
	}
	b.matcher = language.NewMatcher(tags)
	return b, nil
}

// Languages lists the available languages, Dutch first.
func (b *Bundle) Languages() []Language { return b.languages }

// Lookup returns the localizer for a language code and whether the code is available.
func (b *Bundle) Lookup(code string) (*Localizer, bool) {
	l, ok := b.byCode[code]
	return l, ok
}

// Negotiate picks the best available language for an Accept-Language header; Dutch when none fits.
func (b *Bundle) Negotiate(acceptLanguage string) *Localizer {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return b.byCode["nl"]
	}
	for i, t := range tags {
		if base, _ := t.Base(); base.String() == "prs" {
			// Dari is written Persian: fa.toml serves its readers.
			tags[i] = language.MustParse("fa-AF")
		}
	}
	_, idx, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return b.byCode["nl"]
	}
	return b.byCode[b.languages[idx].Code]
}
