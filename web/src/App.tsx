import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { TransportProvider } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { BrowserRouter, Route, Routes } from "react-router";
import { transport } from "./api/transport.js";
import { Layout } from "./components/Layout.js";
import { HomePage } from "./pages/Home.js";
import { HomestayPage } from "./pages/Homestay.js";
import { BusinessesPage } from "./pages/Businesses.js";
import { BusinessPage } from "./pages/Business.js";
import { GoodBossesPage } from "./pages/GoodBosses.js";
import { SignInPage, SignUpPage } from "./pages/Auth.js";
import { ProfilePage } from "./pages/Profile.js";
import { LandlordPage } from "./pages/Landlord.js";
import { HomestayEditorPage } from "./pages/HomestayEditor.js";
import { AdminPage } from "./pages/Admin.js";
import { NotFoundPage } from "./pages/NotFound.js";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Lists change when someone else edits; a short freshness window keeps navigation snappy
      // while mutations here invalidate what they change at once.
      staleTime: 10_000,
      retry: (failures, error) => {
        const code = ConnectError.from(error).code;
        // Only transient failures are worth repeating.
        return failures < 2 && (code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.Unknown);
      },
    },
  },
});

export function App() {
  return (
    <TransportProvider transport={transport}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route element={<Layout />}>
              <Route index element={<HomePage />} />
              <Route path="homestays/:id" element={<HomestayPage />} />
              <Route path="businesses" element={<BusinessesPage />} />
              <Route path="businesses/:id" element={<BusinessPage />} />
              <Route path="good-bosses" element={<GoodBossesPage />} />
              <Route path="signin" element={<SignInPage />} />
              <Route path="signup" element={<SignUpPage />} />
              <Route path="me" element={<ProfilePage />} />
              <Route path="landlord" element={<LandlordPage />} />
              <Route path="landlord/homestays/new" element={<HomestayEditorPage />} />
              <Route path="landlord/homestays/:id" element={<HomestayEditorPage />} />
              <Route path="admin" element={<AdminPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </TransportProvider>
  );
}
