package domain

import (
	"strings"
	"time"
)

// BerichtKind is the kind of a message in the inbox. Its text is a message ID per kind:
// "bericht.<kind>.onderwerp" and "bericht.<kind>.inhoud", filled with Params.
type BerichtKind string

const (
	BerichtBoeteVooraankondiging BerichtKind = "boete_vooraankondiging" // fine pre-announcement (§6)
	BerichtPIPVastgesteld        BerichtKind = "pip_vastgesteld"
	BerichtVerlenging            BerichtKind = "verlenging_toegekend"
	BerichtWelkom                BerichtKind = "welkom"
)

// Bericht is one message in an inburgeraar's inbox (Berichten).
type Bericht struct {
	ID            int64
	InburgeraarID int64
	Kind          BerichtKind
	// Params fill the message's text. By convention a key ending in "Bedrag" holds euro cents and
	// a key ending in "datum"/"Datum" a date (YYYY-MM-DD) and a key ending in "Maanden" a count of
	// months, so each face formats them per language (with plural forms).
	Params    map[string]string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// Read reports whether the message has been read.
func (b Bericht) Read() bool { return b.ReadAt != nil }

// ReplyDate is the date by which a letter asks for a reply (parameter Reactiedatum), if it asks.
func (b Bericht) ReplyDate() (Date, bool) {
	d, err := ParseDate(b.Params["Reactiedatum"])
	return d, err == nil
}

// ReplyPassed reports whether the letter's reply date lies before today: from then on the letter's
// "respond by" no longer holds, and every face says what is still possible instead.
func (b Bericht) ReplyPassed(today Date) bool {
	d, ok := b.ReplyDate()
	return ok && d.Before(today)
}

// ReplyPassedMessageID is the message that says, beside a letter whose reply date has passed,
// what is still possible. The letters of the hour-declaration verification (kinds
// "urenverklaring_…") have their own, because what follows is set (domain.md §8: no evidence →
// intent to refuse, to which the person may respond; no response → refusal); others share one.
func (b Bericht) ReplyPassedMessageID() string {
	if strings.HasPrefix(string(b.Kind), "urenverklaring_") {
		return "bericht." + string(b.Kind) + ".reply_passed"
	}
	return "bericht.reply_passed"
}
