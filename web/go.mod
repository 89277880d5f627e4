module github.com/looklook/looklook/web

go 1.26.0
