package portal_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/testenv"
)

// BenchmarkNaarNederlandPage compares a public "Naar Nederland" page served through the whole
// stack (Echo, every middleware, the language and the memory cache) with a bare net/http handler
// writing the same bytes, measured in the same run. Both go through httptest, without network,
// without compression and with logs discarded, so what differs is only the service's own work.
// "ratio" is the page's time per request divided by the bare handler's: 2 would be half the
// throughput (the bound). README.md reports the figure.
func BenchmarkNaarNederlandPage(b *testing.B) {
	a := testenv.New(b, testenv.Options{Logs: io.Discard})
	const path = "/ar/naar-nederland/examen-buitenland"
	warm := httptest.NewRecorder()
	a.Echo.ServeHTTP(warm, httptest.NewRequest(http.MethodGet, path, nil))
	if warm.Code != http.StatusOK {
		b.Fatalf("status %d", warm.Code)
	}
	body, header := warm.Body.Bytes(), warm.Header()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, k := range []string{"Content-Type", "Cache-Control", "ETag", "Content-Language"} {
			h.Set(k, header.Get(k))
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	var bareNs float64 // the bare handler's time per request, from its final run
	serve := func(h http.Handler, perOp *float64) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Cookie", "taal=ar") // a returning reader
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if perOp != nil {
				*perOp = ns
			} else if bareNs > 0 {
				b.ReportMetric(ns/bareNs, "ratio")
			}
		}
	}
	b.Run("bare-net-http", serve(bare, &bareNs))
	b.Run("portal", serve(a.Echo, nil))
	// Interleaved: each iteration serves the page both ways, one after the other, so that both see
	// the same machine (the separate runs above drift apart on a shared, busy machine).
	// "ratio" is the portal's total time divided by the bare handler's.
	b.Run("interleaved", func(b *testing.B) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Cookie", "taal=ar")
		var tBare, tPortal time.Duration
		for b.Loop() {
			t0 := time.Now()
			w := httptest.NewRecorder()
			bare.ServeHTTP(w, req)
			t1 := time.Now()
			w = httptest.NewRecorder()
			a.Echo.ServeHTTP(w, req)
			tPortal += time.Since(t1)
			tBare += t1.Sub(t0)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
		b.ReportMetric(float64(tPortal)/float64(tBare), "ratio")
		b.ReportMetric(float64(tBare.Nanoseconds())/float64(b.N), "bare-ns/req")
		b.ReportMetric(float64(tPortal.Nanoseconds())/float64(b.N), "portal-ns/req")
	})
	// Over HTTP: both handlers behind a real net/http server on loopback, fetched with a keep-alive
	// client, interleaved as above; what a reader's request costs the server, network stack included.
	b.Run("interleaved-http", func(b *testing.B) {
		bareSrv, portalSrv := httptest.NewServer(bare), httptest.NewServer(a.Echo)
		defer bareSrv.Close()
		defer portalSrv.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
		fetch := func(base string) {
			req, _ := http.NewRequest(http.MethodGet, base+path, nil)
			req.Header.Set("Cookie", "taal=ar")
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
		var tBare, tPortal time.Duration
		for b.Loop() {
			t0 := time.Now()
			fetch(bareSrv.URL)
			t1 := time.Now()
			fetch(portalSrv.URL)
			tPortal += time.Since(t1)
			tBare += t1.Sub(t0)
		}
		b.ReportMetric(float64(tPortal)/float64(tBare), "ratio")
		b.ReportMetric(float64(tBare.Nanoseconds())/float64(b.N), "bare-ns/req")
		b.ReportMetric(float64(tPortal.Nanoseconds())/float64(b.N), "portal-ns/req")
	})
}
