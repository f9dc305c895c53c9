package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// BenchmarkDeclarations reports declarations per second and the p99 latency of
// POST /v2/urenverklaringen through the whole service (token check, gate, Idempotency-Key,
// relation and contract checks, audit-free accept), next to the bare insert rate of the same
// row into the same database in the same run:
//
//	go test ./api/ -run XXX -bench Declarations -benchtime 2000x
func BenchmarkDeclarations(b *testing.B) {
	c := newClient(b, testenv.Options{})
	ctx := context.Background()
	tok := c.schoolToken("demo-taalschool-noord", "", testenv.Now).AccessToken
	res, body := c.send(schoolPost(tok, "/v2/contracten", "c", `{"bsn":"`+samiraBSN+`","cursussoort":"nt2","startdatum":"2026-09-01","einddatum":"2027-06-30","ingekochteUren":400}`))
	if res.StatusCode != http.StatusCreated {
		b.Fatalf("%d %s", res.StatusCode, body)
	}
	// The bare insert: the same row, straight into the store.
	i, err := c.a.Store.InburgeraarByBSN(ctx, samiraBSN)
	if err != nil {
		b.Fatal(err)
	}
	sc, err := c.a.Store.SchoolByClientID(ctx, "demo-taalschool-noord")
	if err != nil {
		b.Fatal(err)
	}
	row := domain.Declaration{SchoolID: sc.ID, InburgeraarID: i.ID, CourseType: domain.CourseNT2, PeriodStart: domain.NewDate(2026, 10, 1),
		PeriodEnd: domain.NewDate(2026, 10, 31), Hours: 30, Status: domain.DeclarationAccepted, CreatedAt: testenv.Now}
	const bare = 500
	start := time.Now()
	for k := 0; k < bare; k++ {
		r := row
		if err := c.a.Store.CreateDeclaration(ctx, &r); err != nil {
			b.Fatal(err)
		}
	}
	bareRate := float64(bare) / time.Since(start).Seconds()

	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start = time.Now()
	for k := 0; k < b.N; k++ {
		t0 := time.Now()
		res, _ := c.send(schoolPost(tok, "/v2/urenverklaringen", fmt.Sprint("bench-", k),
			`{"bsn":"`+samiraBSN+`","cursussoort":"nt2","periodeVan":"2026-10-01","periodeTot":"2026-10-31","uren":30}`))
		lat = append(lat, time.Since(t0))
		if res.StatusCode != http.StatusCreated {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "declarations/s")
	b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(bareRate, "bare-inserts/s")
}
