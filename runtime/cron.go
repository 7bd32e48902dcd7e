package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"edgerun/isolates"
	"edgerun/isolates/webapi"
)

// Scheduled runs the worker's scheduled() handler (or "scheduled" event
// listeners) once, as a cron trigger would, and waits for it and its
// waitUntil work.
func (wk *Version) Scheduled(ctx context.Context, expr string, at time.Time, scope *isolates.Scope) error {
	iso, err := wk.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	finished := make(chan struct{})
	x := &webapi.Exchange{
		Scope: scope,
		Sink: webapi.SinkFuncs{
			OnRespond: func(_ *webapi.Response, err error) { done <- err },
			OnFinish:  func() { wk.Pool.Release(iso); close(finished) },
		},
	}
	if !iso.Enqueue(func() {
		st, _ := iso.Value(stateKey{}).(*isolateState)
		st.worker.Scheduled(x, expr, at.UnixMilli(), st.env)
	}) {
		wk.Pool.Release(iso)
		return isolates.ErrRetired
	}
	select {
	case err := <-done:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// cronParser reads the five-field expressions of [triggers] crons.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ValidateCrons reports the first expression robfig/cron cannot read (it
// lacks Workers' L, W and # extensions).
func ValidateCrons(exprs []string) error {
	for _, e := range exprs {
		if _, err := cronParser.Parse(e); err != nil {
			return fmt.Errorf("[triggers] crons: %q: %w", e, err)
		}
	}
	return nil
}

// StartCron runs the configured cron triggers (UTC, as Workers does) until
// ctx ends or stop is called. Each run is logged with its outcome. With
// [edgerun] cron_lock (or KV on PostgreSQL) the processes sharing that
// database elect one that fires each tick (cron_leader.go); the others
// skip it.
func (a *App) StartCron(ctx context.Context) (stop func(), err error) {
	exprs := a.cfg.Triggers.Crons
	if err := ValidateCrons(exprs); err != nil {
		return nil, err
	}
	var leader *cronLeader
	if lock := a.cfg.Edgerun.CronLock; lock.Enabled() && len(exprs) > 0 {
		conn, err := a.cronLockConnString(lock)
		if err != nil {
			return nil, err
		}
		leader = startCronLeader(ctx, conn, a.cfg.Name, a.log)
	}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithParser(cronParser))
	for _, e := range exprs {
		expr := e
		sched, err := cronParser.Parse(expr)
		if err != nil {
			return nil, err
		}
		if _, err := c.AddFunc(expr, func() {
			// The tick being fired: robfig/cron runs a job at or just after
			// its time, so the schedule's next time after a second ago is it.
			tick := sched.Next(time.Now().Add(-time.Second))
			if leader != nil && !leader.mayFire(ctx, tick) {
				a.log.Debug(fmt.Sprintf("scheduled %q: another process leads the crons", expr), "cron", expr)
				return
			}
			a.runScheduled(ctx, expr, tick)
		}); err != nil {
			return nil, err
		}
	}
	c.Start()
	return func() {
		<-c.Stop().Done()
		if leader != nil {
			leader.close()
		}
	}, nil
}

// runScheduled fires one tick; at is its scheduled time, which
// controller.scheduledTime shows (Workers' meaning).
func (a *App) runScheduled(ctx context.Context, expr string, at time.Time) {
	start := time.Now()
	rctx, cancel := context.WithTimeout(ctx, 15*time.Minute) // Workers' limit for a cron invocation
	defer cancel()
	err := a.server.Version().Scheduled(rctx, expr, at, isolates.NewScope(rctx, 0))
	if err != nil {
		a.log.Error(fmt.Sprintf("scheduled %q failed: %v", expr, err), "cron", expr)
		return
	}
	a.log.Info(fmt.Sprintf("scheduled %q ok (%s)", expr, roundDuration(time.Since(start))), "cron", expr)
}
