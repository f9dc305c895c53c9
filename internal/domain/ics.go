package domain

import (
	"strconv"
	"strings"
	"time"
)

// CalendarEvent is what an .ics file for an appointment says. The texts are already translated.
type CalendarEvent struct {
	UID         string // globally unique, stable for one appointment
	Sequence    int    // raised when the appointment moves or is cancelled
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	Cancelled   bool
	Stamp       time.Time
}

// amsterdamVTimezone is the VTIMEZONE of Europe/Amsterdam since 1996 (EU summer time rules).
const amsterdamVTimezone = "BEGIN:VTIMEZONE\r\n" +
	"TZID:Europe/Amsterdam\r\n" +
	"BEGIN:DAYLIGHT\r\n" +
	"TZOFFSETFROM:+0100\r\n" +
	"TZOFFSETTO:+0200\r\n" +
	"TZNAME:CEST\r\n" +
	"DTSTART:19700329T020000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n" +
	"END:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\n" +
	"TZOFFSETFROM:+0200\r\n" +
	"TZOFFSETTO:+0100\r\n" +
	"TZNAME:CET\r\n" +
	"DTSTART:19701025T030000\r\n" +
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n" +
	"END:STANDARD\r\n" +
	"END:VTIMEZONE\r\n"

// ICS renders e as an RFC 5545 calendar (METHOD:PUBLISH, or CANCEL when cancelled) with the
// Europe/Amsterdam time zone: CRLF line ends, lines folded at 75 octets, text escaped.
func (e CalendarEvent) ICS() []byte {
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)) }
	method, status := "PUBLISH", "CONFIRMED"
	if e.Cancelled {
		method, status = "CANCEL", "CANCELLED"
	}
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//DUO//Inburgering portaal//NL")
	line("CALSCALE:GREGORIAN")
	line("METHOD:" + method)
	b.WriteString(amsterdamVTimezone)
	line("BEGIN:VEVENT")
	line("UID:" + escapeText(e.UID))
	line("SEQUENCE:" + strconv.Itoa(e.Sequence))
	line("DTSTAMP:" + e.Stamp.UTC().Format("20060102T150405Z"))
	line("DTSTART;TZID=Europe/Amsterdam:" + Amsterdam(e.Start).Format("20060102T150405"))
	line("DTEND;TZID=Europe/Amsterdam:" + Amsterdam(e.End).Format("20060102T150405"))
	line("SUMMARY:" + escapeText(e.Summary))
	if e.Location != "" {
		line("LOCATION:" + escapeText(e.Location))
	}
	if e.Description != "" {
		line("DESCRIPTION:" + escapeText(e.Description))
	}
	line("STATUS:" + status)
	line("END:VEVENT")
	line("END:VCALENDAR")
	return []byte(b.String())
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	r := strings.NewReplacer("\\", "\\\\", ";", "\\;", ",", "\\,", "\r\n", "\\n", "\n", "\\n", "\r", "\\n")
	return r.Replace(s)
}

// fold ends a content line with CRLF, folding it into lines of at most 75 octets without
// splitting a UTF-8 sequence (RFC 5545 §3.1).
func fold(s string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		size := 1
		for i+size < len(s) && s[i+size]&0xC0 == 0x80 {
			size++
		}
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1 // the leading space of a continuation line counts
			continue
		}
		b.WriteString(s[i : i+size])
		n += size
		i += size
	}
	b.WriteString("\r\n")
	return b.String()
}
