package i18n

// GoI18n is the translation go-i18n itself gives, for comparing T with it.
func GoI18n(l *Localizer, id string, data map[string]any) string {
	return l.goi18n(id, data)
}
