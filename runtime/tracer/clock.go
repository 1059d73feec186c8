package tracer

import (
	"sync/atomic"
	"time"
)

// clock reads the time with one monotonic clock read instead of
// time.Now's two (wall and monotonic): it adds the monotonic time elapsed
// since an anchor taken with time.Now. The anchor is renewed every
// anchorPeriod, so a step of the wall clock (NTP, the administrator) shows
// in span times within that period, while times within a span are always
// ordered and durations are exact.
type clock struct {
	anchor atomic.Pointer[time.Time]
}

const anchorPeriod = time.Second

func newClock() *clock {
	c := &clock{}
	now := time.Now()
	c.anchor.Store(&now)
	return c
}

// now returns the current time, carrying a monotonic reading.
func (c *clock) now() time.Time {
	a := c.anchor.Load()
	d := time.Since(*a)
	if d < anchorPeriod {
		return a.Add(d)
	}
	now := time.Now()
	c.anchor.Store(&now)
	return now
}
