package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
)

const csvHeader = "bsn;cursussoort;startdatum;einddatum;ingekochteUren\n"

func csvPost(token, key, body string, opts ...opt) *http.Request {
	r := schoolPost(token, "/v2/contractbestanden", key, body, opts...)
	r.Header.Set("Content-Type", "text/csv; charset=utf-8")
	return r
}

func TestContractFile(t *testing.T) {
	c := newClient(t, testenv.Options{})
	noord := c.schoolToken("demo-taalschool-noord", "", testenv.Now).AccessToken
	contracts := func() int {
		_, body := c.get(noord, "/v2/contracten?limit=100", 200)
		var l api.ContractenLijst
		mustJSON(t, body, &l)
		return len(l.Contracten)
	}

	bad := []struct {
		name, file string
		want       []string
	}{
		{"rows with problems", csvHeader + "760913900;nt2;2026-01-05;2026-12-18;400\n123456789;nt2;2026-01-05;2026-12-18;400\n930824623;cobol;2026-01-05;2026-12-18;-1\n111222333;nt2;2026-01-05;2026-12-18;10\n",
			[]string{"regel[3].bsn:error.bsn_elfproef", "regel[4].cursussoort:error.field_format", "regel[4].ingekochteUren:error.hours_range", "regel[5].bsn:error.bsn_unknown"}},
		{"BOM", "\ufeff" + csvHeader, []string{"regel[1].bestand:error.csv_bom"}},
		{"comma", strings.ReplaceAll(csvHeader, ";", ","), []string{"regel[1].bestand:error.csv_delimiter"}},
		{"Latin-1", csvHeader + "760913900;caf\xe9;2026-01-05;2026-12-18;400\n", []string{"regel[2].bestand:error.csv_encoding"}},
		{"malformed row", csvHeader + "760913900;\"nt2;2026-01-05;2026-12-18;400\n", []string{"regel[2].bestand:error.csv_malformed"}},
	}
	for i, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			key := "bad-" + string(rune('a'+i))
			res, body := c.do(csvPost(noord, key, tt.file))
			p := mustProblem(t, res, body, 400)
			if got := strings.Join(p.violations(), ","); got != strings.Join(tt.want, ",") {
				t.Errorf("violations %s, want %v", got, tt.want)
			}
			if n := contracts(); n != 0 {
				t.Errorf("%d contracts stored from a refused file", n)
			}
			res2, body2 := c.do(csvPost(noord, key, tt.file))
			if res2.StatusCode != 400 || body2 != body {
				t.Errorf("retry: %d %s", res2.StatusCode, body2)
			}
		})
	}

	good := csvHeader + "760913900;nt2;2026-01-05;2026-12-18;400\r\n930824623;alfabetisering;2026-02-01;2026-06-30;120\r\n"
	res, body := c.do(csvPost(noord, "good", good))
	if res.StatusCode != 201 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var r api.ContractbestandResultaat
	mustJSON(t, body, &r)
	if r.Aantal != 2 || len(r.Regels) != 2 || r.Regels[0].Regel != 2 || r.Regels[1].Regel != 3 {
		t.Errorf("%+v", r)
	}
	res2, body2 := c.do(csvPost(noord, "good", good))
	if res2.StatusCode != 201 || body2 != body || contracts() != 2 {
		t.Errorf("replay: %d %s, %d contracts", res2.StatusCode, body2, contracts())
	}
	res, body = c.do(csvPost(noord, "good", good+"930824623;nt2;2026-02-01;2026-06-30;120\n"))
	mustProblem(t, res, body, 422)

	t.Run("too large", func(t *testing.T) {
		line := "760913900;nt2;2026-01-05;2026-12-18;" + strings.Repeat(" ", 80) + "400\n" // under the row limit
		big := csvHeader + strings.Repeat(line, (10<<20)/len(line)+10)
		res, body := c.do(csvPost(noord, "big", big))
		mustProblem(t, res, body, http.StatusRequestEntityTooLarge)
		// Without Content-Length, streamed: cut off at the limit, whatever the rows held (rows that are
		// wrong anyway keep the database out of it).
		req := csvPost(noord, "big-chunked", strings.ReplaceAll(big, "760913900;", "1        ;"))
		req.ContentLength = -1
		res, body = c.do(req)
		mustProblem(t, res, body, http.StatusRequestEntityTooLarge)
		if n := contracts(); n != 2 {
			t.Errorf("%d contracts after refused large files", n)
		}
	})
	t.Run("too many rows", func(t *testing.T) {
		// Rows that are wrong anyway keep the database out of it: the reading is what is tested.
		// Above the threshold of 1 MB: processed in the background (202), the problems in the status.
		many := csvHeader + strings.Repeat("1;nt2;2026-01-05;2026-12-18;400\n", 100_001)
		res, body := c.do(csvPost(noord, "many", many))
		v := c.asyncFileProblems(noord, res, body)
		if len(v) != 201 || v[0] != "regel[2].bsn:error.bsn_length" || v[200] != "regel[100002].bestand:error.csv_too_many_rows" {
			t.Errorf("%d violations, first %s, last %s", len(v), v[0], v[len(v)-1])
		}
	})
	t.Run("JSON is not a contract file", func(t *testing.T) {
		res, body := c.do(schoolPost(noord, "/v2/contractbestanden", "json", `{"a":1}`))
		mustProblem(t, res, body, http.StatusUnsupportedMediaType)
	})
}
