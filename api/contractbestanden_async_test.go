package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/testenv"
)

// runFileJob processes the background contract file at location as the job would, and returns
// its status as the school sees it.
func (c *client) runFileJob(token, location string) api.Contractbestand {
	c.t.Helper()
	var id int64
	if _, err := fmt.Sscanf(location, "/v2/contractbestanden/%d", &id); err != nil {
		c.t.Fatalf("location %q: %v", location, err)
	}
	if err := c.a.Service.RunContractFileJob(context.Background(), app.ContractFileJob{FileID: id}); err != nil {
		c.t.Fatalf("job: %v", err)
	}
	_, body := c.get(token, location, http.StatusOK, lang("en"))
	var f api.Contractbestand
	mustJSON(c.t, body, &f)
	return f
}

// asyncFileProblems expects a 202 for a file that will be refused, runs the job and returns the
// problems of the status resource as name:code.
func (c *client) asyncFileProblems(token string, res *http.Response, body string) []string {
	c.t.Helper()
	if res.StatusCode != http.StatusAccepted {
		c.t.Fatalf("status %d, want 202: %s", res.StatusCode, body)
	}
	f := c.runFileJob(token, res.Header.Get("Location"))
	if f.Status != api.ContractbestandStatusGeweigerd || f.Fouten == nil || f.VerwerktOp == nil || f.Resultaat != nil {
		c.t.Fatalf("file %+v, want refused with problems", f)
	}
	out := []string{}
	for _, p := range *f.Fouten {
		if p.Reason == "" || strings.HasPrefix(p.Reason, "[") {
			c.t.Errorf("untranslated problem %+v", p)
		}
		out = append(out, p.Name+":"+p.Code)
	}
	return out
}

func TestContractFileInBackground(t *testing.T) {
	c := newClient(t, testenv.Options{})
	noord := c.schoolToken("demo-taalschool-noord", "", testenv.Now).AccessToken
	zuid := c.schoolToken("demo-taalschool-zuid", "", testenv.Now).AccessToken
	contracts := func() int {
		n := 0
		cursor := ""
		for {
			_, body := c.get(noord, "/v2/contracten?limit=100"+cursor, 200)
			var l api.ContractenLijst
			mustJSON(t, body, &l)
			n += len(l.Contracten)
			if l.Volgende == nil {
				return n
			}
			cursor = "&cursor=" + *l.Volgende
		}
	}
	async := header("Prefer", "respond-async")

	t.Run("a small file with Prefer: respond-async", func(t *testing.T) {
		good := csvHeader + "760913900;nt2;2026-01-05;2026-12-18;400\n930824623;alfabetisering;2026-02-01;2026-06-30;120\n"
		res, body := c.do(csvPost(noord, "async-good", good, async))
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		var f api.Contractbestand
		mustJSON(t, body, &f)
		if f.Status != api.ContractbestandStatusOntvangen || f.Bytes != int64(len(good)) || loc != fmt.Sprintf("/v2/contractbestanden/%d", f.ID) {
			t.Errorf("202 %+v at %q", f, loc)
		}
		// Nothing is stored before the job ran; the status says so.
		_, body = c.get(noord, loc, http.StatusOK)
		mustJSON(t, body, &f)
		if f.Status != api.ContractbestandStatusOntvangen || f.VerwerktOp != nil || contracts() != 0 {
			t.Errorf("before the job: %+v, %d contracts", f, contracts())
		}
		// The same key and body: the same 202, no second file.
		res2, body2 := c.do(csvPost(noord, "async-good", good, async))
		if res2.StatusCode != http.StatusAccepted || res2.Header.Get("Location") != loc || body2 != body {
			t.Errorf("replay: %d %s %s", res2.StatusCode, res2.Header.Get("Location"), body2)
		}
		f = c.runFileJob(noord, loc)
		if f.Status != api.ContractbestandStatusVerwerkt || f.Resultaat == nil || f.Resultaat.Aantal != 2 || f.Resultaat.Regels[1].Regel != 3 || f.VerwerktOp == nil {
			t.Fatalf("after the job: %+v", f)
		}
		if n := contracts(); n != 2 {
			t.Errorf("%d contracts, want 2", n)
		}
		// The job again (a retry, another instance): nothing changes.
		if again := c.runFileJob(noord, loc); again.Status != api.ContractbestandStatusVerwerkt || contracts() != 2 {
			t.Errorf("second run: %+v, %d contracts", again, contracts())
		}
		// Another school does not see it.
		res, body = c.do(newRequest(http.MethodGet, loc, "", bearer(zuid)))
		mustProblem(t, res, body, http.StatusNotFound)
	})

	t.Run("a refused file stores nothing", func(t *testing.T) {
		before := contracts()
		bad := csvHeader + "760913900;nt2;2026-01-05;2026-12-18;400\n123456789;nt2;2026-01-05;2026-12-18;400\n930824623;cobol;2026-01-05;2026-12-18;-1\n"
		res, body := c.do(csvPost(noord, "async-bad", bad, async))
		got := c.asyncFileProblems(noord, res, body)
		want := []string{"regel[3].bsn:error.bsn_elfproef", "regel[4].cursussoort:error.field_format", "regel[4].ingekochteUren:error.hours_range"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("problems %v, want %v", got, want)
		}
		if n := contracts(); n != before {
			t.Errorf("%d contracts after a refused file, want %d", n, before)
		}
	})

	t.Run("above the threshold without Prefer", func(t *testing.T) {
		before := contracts()
		line := "760913900;nt2;2026-01-05;2026-12-18;400\n"
		rows := app.ContractFileAsyncThreshold/len(line) + 1
		file := csvHeader + strings.Repeat(line, rows)
		res, body := c.do(csvPost(noord, "async-large", file))
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		f := c.runFileJob(noord, res.Header.Get("Location"))
		if f.Status != api.ContractbestandStatusVerwerkt || f.Resultaat.Aantal != rows || f.Bytes != int64(len(file)) {
			t.Fatalf("large file: status %s, %d rows of %d, %d bytes", f.Status, f.Resultaat.Aantal, rows, f.Bytes)
		}
		if n := contracts(); n != before+rows {
			t.Errorf("%d contracts, want %d", n, before+rows)
		}
	})

	t.Run("a school cannot read an unknown or malformed id", func(t *testing.T) {
		res, body := c.do(newRequest(http.MethodGet, "/v2/contractbestanden/999999", "", bearer(noord)))
		mustProblem(t, res, body, http.StatusNotFound)
		res, body = c.do(newRequest(http.MethodGet, "/v2/contractbestanden/abc", "", bearer(noord)))
		mustProblem(t, res, body, http.StatusBadRequest)
	})
}

// River runs the job: the file is processed without anyone calling the handler.
func TestContractFileJobRunsOnRiver(t *testing.T) {
	c := newClient(t, testenv.Options{StartJobs: true})
	noord := c.schoolToken("demo-taalschool-noord", "", testenv.Now).AccessToken
	good := csvHeader + "760913900;nt2;2026-01-05;2026-12-18;400\n"
	res, body := c.do(csvPost(noord, "river", good, header("Prefer", "respond-async")))
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	loc := res.Header.Get("Location")
	for {
		_, body := c.get(noord, loc, http.StatusOK)
		var f api.Contractbestand
		mustJSON(t, body, &f)
		if f.Status == api.ContractbestandStatusVerwerkt {
			return
		}
		if f.Status != api.ContractbestandStatusOntvangen {
			t.Fatalf("file %+v", f)
		}
		time.Sleep(20 * time.Millisecond) // polling, as a school would; no assertion on time
	}
}
