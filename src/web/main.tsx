import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { STAFF_ROLES } from '../core/access/roles';
import { ApiError, setCsrfToken } from './api/client';
import { isSigningOut, ME_KEY } from './api/session';
import { RequireRole } from './components/guards';
import { Layout } from './components/Layout';
import { AcceptInvitationPage } from './routes/consult/AcceptInvitationPage';
import { BookConsultationPage } from './routes/consult/BookConsultationPage';
import { ManageBookingPage } from './routes/consult/ManageBookingPage';
import { MyAppointmentsPage } from './routes/patient/MyAppointmentsPage';
import { MyProfilePage } from './routes/patient/MyProfilePage';
import { HomePage } from './routes/public/HomePage';
import { ClinicProfilePage } from './routes/public/ClinicProfilePage';
import { FindProviderPage } from './routes/public/FindProviderPage';
import { ProviderProfilePage } from './routes/public/ProviderProfilePage';
import { DirectoryAdminPage } from './routes/staff/DirectoryAdminPage';
import { DirectoryProviderEditPage } from './routes/staff/DirectoryProviderEditPage';
import { NotFoundPage } from './routes/public/NotFoundPage';
import { SignInPage } from './routes/public/SignInPage';
import { AuditPage } from './routes/staff/AuditPage';
import { CalendarFeedPage } from './routes/staff/CalendarFeedPage';
import { AvailabilityPage } from './routes/staff/AvailabilityPage';
import { SchedulingSettingsPage } from './routes/staff/SchedulingSettingsPage';
import { CalendarPage } from './routes/staff/CalendarPage';
import { ClinicBoardPage } from './routes/staff/dosing/ClinicBoardPage';
import { ProtocolSettingsPage } from './routes/staff/dosing/ProtocolSettingsPage';
import { SessionFlowsheetPage } from './routes/staff/dosing/SessionFlowsheetPage';
import { ConsultationDetailPage, ConsultationsPage } from './routes/staff/ConsultationsPage';
import { EditPatientPage } from './routes/staff/EditPatientPage';
import { MailboxMessagePage, MailboxPage } from './routes/staff/MailboxPage';
import { NewPatientPage } from './routes/staff/NewPatientPage';
import { PatientChartPage } from './routes/staff/PatientChartPage';
import { PatientsPage } from './routes/staff/PatientsPage';
import { StaffPage } from './routes/staff/StaffPage';
import { ConsentsPage } from './routes/patient/intake/ConsentsPage';
import { IntakePage } from './routes/patient/intake/IntakePage';
import { MyGoalsPage } from './routes/patient/intake/MyGoalsPage';
import { QuestionnairePage } from './routes/patient/intake/QuestionnairePage';
import { AlertsPage } from './routes/staff/intake/AlertsPage';
import { ConsentDocumentsPage } from './routes/staff/intake/ConsentDocumentsPage';
import { InstrumentsPage } from './routes/staff/intake/InstrumentsPage';
import { IntakeSettingsPage } from './routes/staff/intake/IntakeSettingsPage';
import { IntakeReviewPage } from './routes/staff/intake/IntakeReviewPage';
import { PaperEntryPage } from './routes/staff/intake/PaperEntryPage';
import './styles.css';

/** A 401 anywhere means the session ended (idle timeout, deactivated): show sign-in. */
function onApiError(error: unknown, key?: readonly unknown[]): void {
  if (error instanceof ApiError && error.status === 401 && key?.[0] !== ME_KEY[0] && !isSigningOut()) {
    setCsrfToken(null);
    queryClient.setQueryData(ME_KEY, null);
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onApiError(error, query.queryKey) }),
  mutationCache: new MutationCache({
    onError: (error, _vars, _ctx, mutation) => {
      // Signing in with a wrong password is a 401 too, and is not a lost session.
      if (mutation.options.mutationKey?.[0] !== 'sign-in') onApiError(error);
    },
  }),
  defaultOptions: {
    queries: {
      // Retrying a refusal or a missing record only delays the message; retry network blips once.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 1,
      refetchOnWindowFocus: false,
    },
  },
});

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/find', element: <FindProviderPage /> },
      { path: '/providers/:id', element: <ProviderProfilePage /> },
      { path: '/clinics/:id', element: <ClinicProfilePage /> },
      { path: '/consult/book', element: <BookConsultationPage /> },
      { path: '/consult/manage', element: <ManageBookingPage /> },
      { path: '/invitation', element: <AcceptInvitationPage /> },
      {
        path: '/portal',
        element: <RequireRole roles={['patient']} />,
        children: [
          { index: true, element: <Navigate to="/portal/profile" replace /> },
          { path: 'profile', element: <MyProfilePage /> },
          { path: 'appointments', element: <MyAppointmentsPage /> },
          { path: 'intake', element: <IntakePage /> },
          { path: 'intake/:code', element: <QuestionnairePage /> },
          { path: 'consents', element: <ConsentsPage /> },
          { path: 'goals', element: <MyGoalsPage /> },
        ],
      },
      {
        path: '/staff',
        element: <RequireRole roles={STAFF_ROLES} />,
        children: [
          { index: true, element: <Navigate to="/staff/patients" replace /> },
          { path: 'patients', element: <PatientsPage /> },
          { path: 'patients/new', element: <NewPatientPage /> },
          { path: 'patients/:id', element: <PatientChartPage /> },
          { path: 'patients/:id/edit', element: <EditPatientPage /> },
          { path: 'alerts', element: <AlertsPage /> },
          { path: 'calendar', element: <CalendarPage /> },
          { path: 'calendar-feed', element: <CalendarFeedPage /> },
          { path: 'availability', element: <AvailabilityPage /> },
          { path: 'consultations', element: <ConsultationsPage /> },
          { path: 'consultations/:id', element: <ConsultationDetailPage /> },
          {
            element: <RequireRole roles={['nurse', 'prescriber', 'therapist']} />,
            children: [
              { path: 'board', element: <ClinicBoardPage /> },
              { path: 'patients/:id/intake', element: <IntakeReviewPage /> },
              { path: 'patients/:id/paper', element: <PaperEntryPage /> },
              { path: 'sessions/:id', element: <SessionFlowsheetPage /> },
            ],
          },
          {
            element: <RequireRole roles={['clinic_admin']} />,
            children: [
              { path: 'staff', element: <StaffPage /> },
              { path: 'scheduling-settings', element: <SchedulingSettingsPage /> },
              { path: 'directory', element: <DirectoryAdminPage /> },
              { path: 'directory/providers/:userId', element: <DirectoryProviderEditPage /> },
              { path: 'protocol', element: <ProtocolSettingsPage /> },
              { path: 'consent-documents', element: <ConsentDocumentsPage /> },
              { path: 'instruments', element: <InstrumentsPage /> },
              { path: 'intake-settings', element: <IntakeSettingsPage /> },
              { path: 'audit', element: <AuditPage /> },
              { path: 'mailbox', element: <MailboxPage /> },
              { path: 'mailbox/:id', element: <MailboxMessagePage /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
