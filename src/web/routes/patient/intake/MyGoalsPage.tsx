import { useMe } from '../../../api/session';
import { GoalsPanel } from '../../../components/intake/GoalsPanel';
import { Loading, Page } from '../../../components/Page';

export function MyGoalsPage() {
  const { data: me } = useMe();
  return (
    <Page title="My goals" lead="What you want from treatment, how you will know, and by when. You and your care team can update them.">
      {me?.patientId ? <GoalsPanel patientId={me.patientId} /> : <Loading />}
    </Page>
  );
}
