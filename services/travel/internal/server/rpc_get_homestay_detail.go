package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// GetHomestayDetail implements travelv1connect.TravelServiceHandler.
func (s *Server) GetHomestayDetail(ctx context.Context, req *connect.Request[travelv1.GetHomestayDetailRequest]) (*connect.Response[travelv1.GetHomestayDetailResponse], error) {
	d, err := s.app.GetHomestayDetail(ctx, req.Msg.GetId(), req.Msg.GetViewerUserId(), int(req.Msg.GetCommentPageSize()))
	if err != nil {
		return nil, toConnect(err)
	}
	out := &travelv1.GetHomestayDetailResponse{
		Homestay:              wire.Homestay(d.Homestay),
		Comments:              wire.Comments(d.Comments),
		CommentsNextPageToken: d.CommentsNextPageToken,
	}
	if d.MissingBusiness {
		out.MissingParts = append(out.MissingParts, travelv1.HomestayDetailPart_HOMESTAY_DETAIL_PART_BUSINESS)
	} else {
		out.Business = wire.Business(d.Business)
	}
	if d.MissingComments {
		out.MissingParts = append(out.MissingParts, travelv1.HomestayDetailPart_HOMESTAY_DETAIL_PART_COMMENTS)
	}
	return connect.NewResponse(out), nil
}
