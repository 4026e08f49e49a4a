import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isClinicalRole } from '../../../core/access/roles';
import { createPatient, listStaff } from '../../api/endpoints';
import { useMe } from '../../api/session';
import { CareTeamPicker } from '../../components/CareTeamPicker';
import { formErrorsFrom, type FormErrors } from '../../components/forms';
import { Loading, Page } from '../../components/Page';
import {
  checkPatientValues,
  emptyPatientValues,
  NO_ERRORS,
  PATIENT_FORM_FIELDS,
  PatientForm,
  type PatientFormValues,
} from '../../components/PatientForm';

const FORM = 'new-patient';

export function NewPatientPage() {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const staff = useQuery({ queryKey: ['staff'], queryFn: listStaff });
  const [values, setValues] = useState<PatientFormValues>(emptyPatientValues);
  // A clinician who registers someone will usually care for them; without this they could not open the chart.
  const [team, setTeam] = useState<string[]>(() => (me && isClinicalRole(me.role) ? [me.id] : []));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  const mutation = useMutation({
    mutationFn: createPatient,
    onSuccess: async (patient) => {
      queryClient.setQueryData(['patient', patient.id], patient);
      await queryClient.invalidateQueries({ queryKey: ['patients'] });
      void navigate(`/staff/patients/${patient.id}`, { state: { created: true } });
    },
    onError: (error) => setErrors(formErrorsFrom(error, [...PATIENT_FORM_FIELDS, 'careTeamUserIds'])),
  });

  if (!me) return <Loading />;

  const submit = () => {
    const fields = checkPatientValues(values, PATIENT_FORM_FIELDS, me.timeZone);
    if (Object.keys(fields).length > 0) {
      setErrors({ fields });
      return;
    }
    setErrors(NO_ERRORS);
    const body: Record<string, string | string[]> = {};
    for (const f of PATIENT_FORM_FIELDS) {
      const v = values[f].trim();
      if (v) body[f] = v;
    }
    mutation.mutate({
      ...(body as unknown as Parameters<typeof createPatient>[0]),
      careTeamUserIds: team,
    });
  };

  return (
    <Page title="New patient" lead="Register someone with the clinic. Only the legal name and date of birth are needed now.">
      <PatientForm
        form={FORM}
        values={values}
        onChange={setValues}
        editable={PATIENT_FORM_FIELDS}
        errors={errors}
        onSubmit={submit}
        submitLabel="Register patient"
        pending={mutation.isPending}
        timeZone={me.timeZone}
        extra={
          staff.data ? (
            <CareTeamPicker
              form={FORM}
              staff={staff.data}
              selected={team}
              onChange={setTeam}
              selfId={me.id}
              error={errors.fields.careTeamUserIds}
              hint={
                isClinicalRole(me.role)
                  ? 'Clinical staff see only patients whose care team they are on. You are included so you can open the chart.'
                  : 'Clinical staff see only patients whose care team they are on. You can also set this later.'
              }
            />
          ) : staff.isPending ? (
            <Loading what="Loading staff…" />
          ) : null
        }
        cancel={
          <Link className="button button--quiet" to="/staff/patients">
            Cancel
          </Link>
        }
      />
    </Page>
  );
}
