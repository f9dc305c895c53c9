package app

import (
	"context"
	"encoding/json"
	"time"
)

// Job is a unit of background work (a reminder, a deadline that moves a verification on). It is
// stored in the database and run by one app instance, retried on failure (internal/jobs).
type Job struct {
	// Kind names the handler that runs the job, e.g. "verificatie.termijn".
	Kind string
	// Args is the handler's input, as JSON. Keep it to IDs: no BSN or other personal data.
	Args json.RawMessage
	// RunAt delays the job until then; zero means as soon as possible.
	RunAt time.Time
	// UniqueKey, when set, makes a second job of the same kind and key (while the first is still
	// waiting, running or retrying) a no-op, so re-running a use case does not double its jobs.
	UniqueKey string
}

// Jobs queues background work. Enqueue called with the ctx of a transaction (Transactor.InTx)
// writes the job in that transaction: it runs only when the transaction commits.
type Jobs interface {
	Enqueue(ctx context.Context, job Job) error
}
