import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { getPatient, updatePatient, type Me, type Patient } from '../../api/endpoints';
import { useMe } from '../../api/session';
import { formErrorsFrom, type FormErrors } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import {
  changedFields,
  checkPatientValues,
  NO_ERRORS,
  PATIENT_FORM_FIELDS,
  PatientForm,
  patientValuesOf,
  type PatientFormValues,
} from '../../components/PatientForm';
import { fullName } from '../../lib/format';

export function EditPatientPage() {
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const query = useQuery({ queryKey: ['patient', id], queryFn: () => getPatient(id) });
  if (!me || query.isPending) {
    return (
      <Page title="Edit patient details">
        <Loading />
      </Page>
    );
  }
  if (query.error) {
    return (
      <Page title="Edit patient details">
        <ErrorNotice error={query.error} title="We could not load this patient" />
        <p>
          <Link to={`/staff/patients/${id}`}>Back to the chart</Link>
        </p>
      </Page>
    );
  }
  return <EditPatient patient={query.data} me={me} />;
}

function EditPatient({ patient, me }: { patient: Patient; me: Me }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [values, setValues] = useState<PatientFormValues>(() => patientValuesOf(patient));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof updatePatient>[1]) => updatePatient(patient.id, body),
    onSuccess: async (updated) => {
      queryClient.setQueryData(['patient', patient.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['patients'] });
      void navigate(`/staff/patients/${patient.id}`);
    },
    onError: (error) => setErrors(formErrorsFrom(error, PATIENT_FORM_FIELDS)),
  });
  const submit = () => {
    const fields = checkPatientValues(values, PATIENT_FORM_FIELDS, me.timeZone);
    if (Object.keys(fields).length > 0) {
      setErrors({ fields });
      return;
    }
    const body = changedFields(patientValuesOf(patient), values, PATIENT_FORM_FIELDS);
    if (Object.keys(body).length === 0) {
      void navigate(`/staff/patients/${patient.id}`);
      return;
    }
    setErrors(NO_ERRORS);
    mutation.mutate(body as Parameters<typeof updatePatient>[1]);
  };
  return (
    <Page title={`Edit details: ${fullName(patient)}`}>
      <PatientForm
        form="edit-patient"
        values={values}
        onChange={setValues}
        editable={PATIENT_FORM_FIELDS}
        errors={errors}
        onSubmit={submit}
        submitLabel="Save changes"
        pending={mutation.isPending}
        timeZone={me.timeZone}
        cancel={
          <Link className="button button--quiet" to={`/staff/patients/${patient.id}`}>
            Cancel
          </Link>
        }
      />
    </Page>
  );
}
