package wire

import (
	"fmt"
	"strconv"

	"github.com/inburgering/portal/internal/domain"
)

// verificationFromEnv reads the periods of the verification of hour declarations (domain.md §8),
// in days: VERIFICATIE_SCHOOL_DAGEN (the school's time to answer), VERIFICATIE_BEWIJS_DAGEN (the
// inburgeraar's time to send evidence) and VERIFICATIE_REACTIE_DAGEN (the time to respond to an
// intent to refuse). Unset: domain.DefaultVerificationPeriods. A value that is not a whole number
// of days from 1 to 365 is a configuration error (Validate names it).
func verificationFromEnv(get func(k, def string) string, bad *string) domain.VerificationPeriods {
	p := domain.DefaultVerificationPeriods()
	days := func(k string, def int) int {
		raw := get(k, strconv.Itoa(def))
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 365 {
			*bad += fmt.Sprintf("; %s must be a number of days from 1 to 365, not %q", k, raw)
			return def
		}
		return n
	}
	p.SchoolAnswerDays = days("VERIFICATIE_SCHOOL_DAGEN", p.SchoolAnswerDays)
	p.EvidenceDays = days("VERIFICATIE_BEWIJS_DAGEN", p.EvidenceDays)
	p.ResponseDays = days("VERIFICATIE_REACTIE_DAGEN", p.ResponseDays)
	return p
}
