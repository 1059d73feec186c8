module github.com/tracegen/tracegen

go 1.24
