// Looking up the signed-in landlord's own business and homestays. The public API has no
// "my business" call, so the business is found through the landlord's homestays or, for a
// business without any yet, by its owner in the business list.
import { createClient } from "@connectrpc/connect";
import { useQuery } from "@tanstack/react-query";
import { BusinessService } from "../gen/looklook/bff/v1/business_pb.js";
import { LandlordService } from "../gen/looklook/bff/v1/landlord_pb.js";
import type { Business, Homestay } from "../gen/looklook/bff/v1/types_pb.js";
import { transport } from "./transport.js";

const businesses = createClient(BusinessService, transport);
const landlord = createClient(LandlordService, transport);

async function findMyBusiness(userId: bigint): Promise<Business | null> {
  const mine = await landlord.listMyHomestays({ pageSize: 1 });
  const first = mine.homestays[0];
  if (first) {
    const res = await businesses.getBusiness({ id: first.businessId });
    if (res.business) return res.business;
  }
  let pageToken = "";
  for (let page = 0; page < 100; page++) {
    const res = await businesses.listBusinesses({ pageSize: 100, pageToken });
    const found = res.businesses.find((b) => b.ownerUserId === userId);
    if (found) return found;
    if (!res.nextPageToken) break;
    pageToken = res.nextPageToken;
  }
  return null;
}

async function findMyHomestay(id: bigint): Promise<Homestay | null> {
  let pageToken = "";
  for (let page = 0; page < 100; page++) {
    const res = await landlord.listMyHomestays({ pageSize: 100, pageToken });
    const found = res.homestays.find((h) => h.id === id);
    if (found) return found;
    if (!res.nextPageToken) break;
    pageToken = res.nextPageToken;
  }
  return null;
}

export function useMyBusiness(userId: bigint | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["looklook", "my-business", userId?.toString()],
    queryFn: () => findMyBusiness(userId!),
    enabled: enabled && userId !== undefined,
  });
}

export function useMyHomestay(id: bigint | null) {
  return useQuery({
    queryKey: ["looklook", "my-homestay", id?.toString()],
    queryFn: () => findMyHomestay(id!),
    enabled: id !== null,
    // An editor must start from the latest version.
    staleTime: 0,
  });
}
