package tracer

import "unicode/utf8"

// SpanLimits bound what one span may hold. A limit that is exceeded drops
// the excess and counts it in SpanData (DroppedTags, DroppedLogs,
// DroppedLogFields); a value longer than MaxValueLength is cut at a UTF-8
// character boundary.
//
// A zero field means the default of DefaultSpanLimits; a negative field
// means no limit.
type SpanLimits struct {
	// MaxTags is the number of distinct tag keys kept (OpenTelemetry's
	// attribute count limit). Setting a tag that is already present
	// replaces it and never counts as a drop.
	MaxTags int

	// MaxLogs is the number of log records kept (the event count limit).
	MaxLogs int

	// MaxFieldsPerLog is the number of fields kept in one log record
	// (the attribute-per-event count limit).
	MaxFieldsPerLog int

	// MaxValueLength is the length in bytes beyond which string tag and log
	// field values are cut. Its default is no limit.
	MaxValueLength int
}

// DefaultSpanLimits returns OpenTelemetry's defaults: 128 tags, 128 logs,
// 128 fields per log, values of any length.
func DefaultSpanLimits() SpanLimits {
	return SpanLimits{MaxTags: 128, MaxLogs: 128, MaxFieldsPerLog: 128, MaxValueLength: -1}
}

// resolved returns l with zero fields replaced by defaults and negative
// fields by "no limit" (the largest int).
func (l SpanLimits) resolved() SpanLimits {
	d := DefaultSpanLimits()
	fix := func(v, def int) int {
		if v == 0 {
			v = def
		}
		if v < 0 {
			return int(^uint(0) >> 1)
		}
		return v
	}
	return SpanLimits{
		MaxTags:         fix(l.MaxTags, d.MaxTags),
		MaxLogs:         fix(l.MaxLogs, d.MaxLogs),
		MaxFieldsPerLog: fix(l.MaxFieldsPerLog, d.MaxFieldsPerLog),
		MaxValueLength:  fix(l.MaxValueLength, d.MaxValueLength),
	}
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
