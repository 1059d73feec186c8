module github.com/tracegen/tracegen/runtime

go 1.22

require github.com/google/go-cmp v0.7.0
