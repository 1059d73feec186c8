module github.com/tracegen/tracegen/runtime

go 1.22
