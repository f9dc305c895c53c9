package portal_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/inburgering/portal/internal/domain"
)

// TestRulePages renders the rules of issue 6 that no seeded persona shows on its own, after giving a
// persona the data through the store: a boetetermijn, a Wi2007 term without the gemeente's date and
// a remitted loan.
func TestRulePages(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	st := h.app.Store
	id := func(key string) int64 {
		p, err := h.app.Store.InburgeraarByPersona(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	page := func(t *testing.T, persona, path string) string {
		t.Helper()
		p := get(t, h.login("nl", persona), path)
		wantStatus(t, p, http.StatusOK)
		return p.main(t)
	}

	t.Run("boetetermijn after a Wi2013 fine", func(t *testing.T) {
		if err := st.AddFineDecision(ctx, id("ahmad"), domain.FineDecision{Date: domain.NewDate(2026, 6, 1), Amount: 625_00, Reference: "BB-2026-0001"}); err != nil {
			t.Fatal(err)
		}
		main := page(t, "ahmad", "/nl/mijn/termijn")
		// A new term of 2 years from the day after the decision, shown like any term.
		wantText(t, "termijn", main, h.msg("nl", "term.fine_term"), h.msg("nl", "term.state.lopend"), "2 juni 2026", "1 juni 2028",
			h.msg("nl", "term.previous_end"), "14 april 2022", h.msg("nl", "term.fines"), "€ 625,00", "BB-2026-0001")
		wantNoText(t, "termijn", main, h.msg("nl", "fine.hearing")) // no fine while the boetetermijn runs
		// Borrowing is possible again during the boetetermijn; repayment stays tied to the first term.
		wantText(t, "lening", page(t, "ahmad", "/nl/mijn/lening"), h.msg("nl", "loan.borrowing_open"), "15 oktober 2022")
	})

	t.Run("Wi2007 without the gemeente's date", func(t *testing.T) {
		if err := st.SetRuleFacts(ctx, id("goran"), domain.RuleFacts{}); err != nil {
			t.Fatal(err)
		}
		main := page(t, "goran", "/nl/mijn/termijn")
		wantText(t, "termijn", main, h.msg("nl", "term.state.onbekend"), h.msg("nl", "term.next.onbekend"))
		wantNoText(t, "termijn", main, h.msg("nl", "term.end"), "2014", "2016")
	})

	t.Run("remission for the partner of an asylum permit holder who met the obligation in time", func(t *testing.T) {
		kidane := id("kidane")
		if err := st.SetRuleFacts(ctx, kidane, domain.RuleFacts{AsylumFamilyMember: true}); err != nil {
			t.Fatal(err)
		}
		if err := st.Exec(ctx, "UPDATE inburgeraars SET plicht_voldaan_op = ? WHERE id = ?", domain.NewDate(2026, 11, 20).Time(), kidane); err != nil {
			t.Fatal(err)
		}
		main := page(t, "kidane", "/nl/mijn/lening")
		wantText(t, "lening", main, h.msg("nl", "loan.remission"), h.msg("nl", "loan.remission_before"), "€ 4.200,00",
			h.msg("nl", "loan.remission_percent", "Percent", "100"), h.msg("nl", "loan.remission_after"), "€ 0,00", h.msg("nl", "loan.borrowing_closed"))
		wantNoText(t, "lening", main, h.msg("nl", "loan.repayment"), h.msg("nl", "loan.monthly"))
	})
}
