package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// metrics counts what this instance's workers did, per kind, from River's events.
type metrics struct {
	runs *prometheus.CounterVec
}

func newMetrics() *metrics {
	return &metrics{runs: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "inburgering_jobs_total",
		Help: "Job runs on this instance by kind and outcome: completed, retried (failed, will run again), failed (failed for good) or cancelled.",
	}, []string{"kind", "outcome"})}
}

func (m *metrics) observe(ev *river.Event) {
	if ev.Job == nil {
		return
	}
	outcome := "completed"
	switch ev.Kind {
	case river.EventKindJobCancelled:
		outcome = "cancelled"
	case river.EventKindJobFailed:
		outcome = "failed"
		if ev.Job.State == rivertype.JobStateRetryable || ev.Job.State == rivertype.JobStateAvailable ||
			ev.Job.State == rivertype.JobStateScheduled {
			outcome = "retried"
		}
	}
	m.runs.WithLabelValues(ev.Job.Kind, outcome).Inc()
}

var depthDesc = prometheus.NewDesc("inburgering_jobs_queued",
	"Jobs in the database that have not finished, by kind and state (available, scheduled, retryable, running); the same on every instance.",
	[]string{"kind", "state"}, nil)

// Collector returns the queue's Prometheus metrics: the run counters of this instance and the
// queue depth, counted in the database at each scrape (a read).
func (q *Queue) Collector() prometheus.Collector { return collector{q} }

type collector struct{ q *Queue }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	c.q.metrics.runs.Describe(ch)
	ch <- depthDesc
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	c.q.metrics.runs.Collect(ch)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := c.q.o.DB.QueryContext(ctx, `SELECT kind, state, count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running') GROUP BY kind, state`)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(depthDesc, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var kind, state string
		var n int64
		if err := rows.Scan(&kind, &state, &n); err != nil {
			ch <- prometheus.NewInvalidMetric(depthDesc, err)
			return
		}
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(n), kind, state)
	}
}
