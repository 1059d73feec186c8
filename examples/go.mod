module github.com/tracegen/tracegen/examples

go 1.22

replace github.com/tracegen/tracegen/runtime => ../runtime

require github.com/tracegen/tracegen/runtime v0.0.0-00010101000000-000000000000
