import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { PATIENT_SELF_EDITABLE } from '../../../core/schemas/patient.schema';
import { getPatient, updatePatient, type Me } from '../../api/endpoints';
import { useMe } from '../../api/session';
import { formErrorsFrom, StatusMessage, useFocusOnToggle, type FormErrors } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { CareTeamList, PatientDetails } from '../../components/PatientDetails';
import {
  changedFields,
  checkPatientValues,
  NO_ERRORS,
  PATIENT_FORM_FIELDS,
  PatientForm,
  patientValuesOf,
  type PatientFormField,
  type PatientFormValues,
} from '../../components/PatientForm';

const SELF_EDITABLE = PATIENT_FORM_FIELDS.filter((f) => (PATIENT_SELF_EDITABLE as readonly string[]).includes(f)) as PatientFormField[];

export function MyProfilePage() {
  const { data: me } = useMe();
  if (!me?.patientId) {
    return (
      <Page title="My profile">
        <p>Your account is not linked to a patient record yet. Please contact the clinic.</p>
      </Page>
    );
  }
  return <MyProfile me={me} patientId={me.patientId} />;
}

function MyProfile({ me, patientId }: { me: Me; patientId: string }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['patient', patientId], queryFn: () => getPatient(patientId) });
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<PatientFormValues | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState('');

  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof updatePatient>[1]) => updatePatient(patientId, body),
    onSuccess: (patient) => {
      queryClient.setQueryData(['patient', patientId], patient);
      setEditing(false);
      setSaved('Your details are saved.');
    },
    onError: (error) => setErrors(formErrorsFrom(error, PATIENT_FORM_FIELDS)),
  });
  // The button pressed to open or close the form disappears with it: focus moves to the
  // form's heading when it opens and back to "Edit my details" when it closes.
  const editHeading = useRef<HTMLHeadingElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  useFocusOnToggle(editing, editHeading, editButton);

  if (query.isPending) {
    return (
      <Page title="My profile">
        <Loading />
      </Page>
    );
  }
  if (query.error) {
    return (
      <Page title="My profile">
        <ErrorNotice error={query.error} title="We could not load your profile" />
      </Page>
    );
  }
  const patient = query.data;
  const name = patient.preferredName ? `${patient.preferredName} ${patient.legalFamilyName}` : `${patient.legalGivenName} ${patient.legalFamilyName}`;

  const startEditing = () => {
    setValues(patientValuesOf(patient));
    setErrors(NO_ERRORS);
    setSaved('');
    setEditing(true);
  };

  const submit = () => {
    if (!values) return;
    const fields = checkPatientValues(values, SELF_EDITABLE, me.timeZone);
    if (Object.keys(fields).length > 0) {
      setErrors({ fields });
      return;
    }
    const body = changedFields(patientValuesOf(patient), values, SELF_EDITABLE);
    if (Object.keys(body).length === 0) {
      setEditing(false);
      setSaved('Nothing changed.');
      return;
    }
    setErrors(NO_ERRORS);
    mutation.mutate(body as Parameters<typeof updatePatient>[1]);
  };

  return (
    <Page title="My profile" lead={`Hello, ${name}. This is the information the clinic holds about you.`}>
      <StatusMessage>{saved}</StatusMessage>
      {editing && values ? (
        <section className="card" aria-labelledby="edit-heading">
          <h2 id="edit-heading" tabIndex={-1} ref={editHeading}>
            Edit my details
          </h2>
          <p className="muted">
            To change your legal name or date of birth, please ask the clinic — they may need to see identification.
          </p>
          <PatientForm
            form="my-profile"
            values={values}
            onChange={setValues}
            editable={SELF_EDITABLE}
            errors={errors}
            onSubmit={submit}
            submitLabel="Save my details"
            pending={mutation.isPending}
            timeZone={me.timeZone}
            whose="your"
            cancel={
              <button type="button" className="button button--quiet" onClick={() => setEditing(false)}>
                Cancel
              </button>
            }
          />
        </section>
      ) : (
        <>
          <p>
            <button type="button" className="button button--secondary" onClick={startEditing} ref={editButton}>
              Edit my details
            </button>
          </p>
          <PatientDetails patient={patient} timeZone={me.timeZone} />
        </>
      )}
      <CareTeamList patient={patient} headingId="my-care-team" />
    </Page>
  );
}
