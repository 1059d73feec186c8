package jobs

import (
	"context"
	"testing"
)

// RunHelper is in a test file, which rule roots excludes.
func RunHelper() int { return RunNightly() }

func TestJobs(t *testing.T) {
	if RunHelper() != 1 || RunWith(context.Background()) != nil {
		t.Fatal("jobs")
	}
	Stop()
}
