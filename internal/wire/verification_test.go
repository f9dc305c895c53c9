package wire

import (
	"strings"
	"testing"
)

func TestVerificationFromEnv(t *testing.T) {
	cases := []struct {
		env                        map[string]string
		school, evidence, response int
		bad                        string
	}{
		{nil, 14, 28, 14, ""},
		{map[string]string{"VERIFICATIE_REACTIE_DAGEN": "21"}, 14, 28, 21, ""},
		{map[string]string{"VERIFICATIE_SCHOOL_DAGEN": "7", "VERIFICATIE_BEWIJS_DAGEN": "42"}, 7, 42, 14, ""},
		{map[string]string{"VERIFICATIE_REACTIE_DAGEN": "0"}, 14, 28, 14, "VERIFICATIE_REACTIE_DAGEN"},
		{map[string]string{"VERIFICATIE_BEWIJS_DAGEN": "twee weken"}, 14, 28, 14, "VERIFICATIE_BEWIJS_DAGEN"},
	}
	for _, tc := range cases {
		c := FromEnv(func(k string) string { return tc.env[k] })
		p := c.Verification
		if p.SchoolAnswerDays != tc.school || p.EvidenceDays != tc.evidence || p.ResponseDays != tc.response {
			t.Errorf("%v: %+v", tc.env, p)
		}
		if tc.bad == "" && c.badSettings != "" || !strings.Contains(c.badSettings, tc.bad) {
			t.Errorf("%v: bad settings %q, want %q", tc.env, c.badSettings, tc.bad)
		}
	}
}
