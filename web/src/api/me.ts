import { skipToken, useQuery } from "@connectrpc/connect-query";
import { AccountService } from "../gen/looklook/bff/v1/account_pb.js";
import { useSession } from "./session.js";

/** useMe is the signed-in user (from GetMe, whose roles are the access token's), if any. */
export function useMe() {
  const session = useSession();
  const q = useQuery(AccountService.method.getMe, session ? {} : skipToken);
  const user = session ? q.data?.user : undefined;
  const roles = user?.roles ?? [];
  return {
    signedIn: session !== null,
    user,
    isLandlord: roles.includes("landlord"),
    isAdmin: roles.includes("admin"),
    isLoading: session !== null && q.isPending,
    error: q.error,
  };
}
